/* git2dyn.c: loads libgit2 on first use (see git2dyn.h). */
#include "common.h"

#include <dlfcn.h>
#include <git2.h>

#include "error.h"

/* the pointers, before the names become macros */
#define GIT2DYN_FUNCS_ONLY
#include "git2dyn.h"

#ifndef GIT2DYN_SONAME
#error "GIT2DYN_SONAME: the Makefile sets it from pkg-config libgit2"
#endif

#define DEFINE_PTR(f) __typeof__(f) *p_##f;
GIT2DYN_FUNCS(DEFINE_PTR)

int git2dyn_load(void)
{
	static int loaded;
	void *h;

	if (loaded)
		return 0;
	if (!(h = dlopen(GIT2DYN_SONAME, RTLD_NOW | RTLD_LOCAL)))
		return cf_error_set(CF_EGENERIC, "cannot load %s: %s",
				    GIT2DYN_SONAME, dlerror());
#define LOAD(f) \
	if (!(*(void **)&p_##f = dlsym(h, #f))) \
		return cf_error_set(CF_EGENERIC, "%s lacks %s", \
				    GIT2DYN_SONAME, #f);
	GIT2DYN_FUNCS(LOAD)
	loaded = 1;
	return 0;
}
