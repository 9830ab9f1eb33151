#ifndef PIPELINE_CLIBXML2_SHIM_H
#define PIPELINE_CLIBXML2_SHIM_H
/* libxml2's HTML parser (htmlReadMemory: real-world HTML with recovery) and XML reader (feeds). */
/* Debian builds libxml2 with ICU, whose headers clash with the copy inside Foundation (_FoundationICU); nothing here
   needs libxml2's ICU converter fields, so they are left out of this view of the headers. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

/* Silences libxml2's default error printing to stderr (the loaders report problems themselves). */
static void pipeline_xml_ignore_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static inline void pipeline_xml_silence(void) {
    xmlSetGenericErrorFunc(NULL, pipeline_xml_ignore_error);
}
/* xmlFree is a global function pointer, which Swift 6 treats as shared mutable state. */
static inline void pipeline_xml_free(void *p) { xmlFree(p); }
#endif
