/* ydoc.h */
#ifndef MOTCUA_YDOC_H
#define MOTCUA_YDOC_H
#endif
