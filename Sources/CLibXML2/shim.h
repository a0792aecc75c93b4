#ifndef HOTLINE_ETL_CLIBXML2_SHIM_H
#define HOTLINE_ETL_CLIBXML2_SHIM_H

// Debian's libxml2 headers pull in the system ICU headers, which clash with the ICU inside
// Foundation ('UErrorCode' has different definitions). Undefine ICU support before the rest.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

/// `xmlFree` is a global function pointer variable, which Swift 6 refuses to call.
static inline void hotline_xml_free(void *pointer) { xmlFree(pointer); }

/// libxml2's generic error handler is variadic and cannot be written in Swift: this one drops
/// the text (structured errors reach Swift through `serror`).
static inline void hotline_xml_silent_generic_error(void *context, const char *message, ...) {
    (void)context; (void)message;
}
static inline void hotline_xml_install_silent_generic_error(void) {
    xmlSetGenericErrorFunc(NULL, hotline_xml_silent_generic_error);
}

/// An external entity loader that refuses everything: no file is opened, no connection made.
static inline xmlParserInputPtr hotline_xml_refuse_external_entity(
    const char *url, const char *id, xmlParserCtxtPtr context) {
    (void)url; (void)id; (void)context;
    return NULL;
}
static inline void hotline_xml_install_refusing_entity_loader(void) {
    xmlSetExternalEntityLoader(hotline_xml_refuse_external_entity);
}

/// Installs the silent generic error handler for the calling thread and as the default for
/// threads created later (libxml2 keeps the generic handler per thread).
static inline void hotline_xml_install_silent_generic_error_all_threads(void) {
    xmlSetGenericErrorFunc(NULL, hotline_xml_silent_generic_error);
    xmlThrDefSetGenericErrorFunc(NULL, hotline_xml_silent_generic_error);
}

/// The parser options every hotline-etl XML read uses: no network, no entity substitution,
/// no DTD loading, CDATA as plain text. Never add XML_PARSE_NOENT, DTDLOAD or HUGE.
static inline int hotline_xml_safe_options(void) {
    return XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOCDATA;
}

#endif
