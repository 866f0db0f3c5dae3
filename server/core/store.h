/* store.h */
#ifndef MOTCUA_STORE_H
#define MOTCUA_STORE_H
#endif
