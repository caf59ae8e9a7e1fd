#ifndef COLFILE_CZLIB_SHIM_H
#define COLFILE_CZLIB_SHIM_H
#include <zlib.h>
#endif
