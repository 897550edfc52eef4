#ifndef COFFER_VERSION
#define COFFER_VERSION "0.1.0"
#endif
