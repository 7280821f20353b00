# One line per layer, lowest first. A layer names the layers and libraries it uses.
caploop_layer(core fmt::fmt)
caploop_layer(io caploop_core simdjson::simdjson PkgConfig::ZSTD ZLIB::ZLIB)
caploop_layer(eval caploop_core PkgConfig::PCRE2)
caploop_layer(store caploop_io caploop_eval SQLite::SQLite3)
caploop_layer(workspace caploop_store caploop_io caploop_eval Threads::Threads)

set(CAPLOOP_ALL_LAYERS caploop_workspace caploop_store caploop_eval caploop_io caploop_core)
