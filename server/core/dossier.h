/* dossier.h */
#ifndef MOTCUA_DOSSIER_H
#define MOTCUA_DOSSIER_H
#endif
