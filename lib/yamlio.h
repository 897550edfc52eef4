/* yamlio.h: the YAML layer in one include. The tree (ytree.h), what
 * scalars mean (yscalar.h), the emitter of sops' layout (yemit.h) and
 * the reader (yparse.h). The fast reader (yfast.h) is yparse's own. */
#ifndef CF_YAMLIO_H
#define CF_YAMLIO_H

#include "yemit.h"
#include "yparse.h"
#include "yscalar.h"
#include "ytree.h"

#endif
