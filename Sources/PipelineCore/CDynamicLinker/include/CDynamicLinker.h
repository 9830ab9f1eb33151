// Which loaded file defines an address (dladdr, a GNU extension the Swift Glibc module does not expose): the plugin
// loader uses it to find the file that holds the core and to tell a plugin that carries its own copy of the core.
#ifndef PIPELINE_CDYNAMICLINKER_H
#define PIPELINE_CDYNAMICLINKER_H

/// The path of the loaded object that contains `address`, or NULL.
const char *pipeline_object_file(const void *address);

/// The path of the loaded object that holds this function, that is, the core (libPipelineCore.so, or the executable
/// in a static build), or NULL. A plugin's own copy of the core has one too: the loader looks it up in the plugin.
const char *pipeline_core_file(void);

#endif
