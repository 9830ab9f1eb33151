// Snowball stemmers (Debian libstemmer-dev): sb_stemmer_new, sb_stemmer_stem, sb_stemmer_length, sb_stemmer_delete.
#include <libstemmer.h>
