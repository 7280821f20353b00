# One line per layer, lowest first. A layer names the layers and libraries it uses.
# Evaluation side: core -> io -> eval -> store -> workspace; capability slices: taxonomy, stats -> slices -> diagnose.
# Data side: corpus -> mapping (eval tags to data tags; it reads a diagnosis, so it knows diagnose's verdicts) -> mixture (the plan) -> sampling (drawing it) -> verify. cluster divides work
# among processes (mpirun). workspace runs the jobs over all of them; loop chains those jobs into the whole loop;
# report and cli sit on top.
caploop_layer(core fmt::fmt Threads::Threads)
caploop_layer(io caploop_core simdjson::simdjson PkgConfig::PCRE2 PkgConfig::TOMLPP PkgConfig::ZSTD ZLIB::ZLIB)
caploop_layer(eval caploop_core PkgConfig::PCRE2)
caploop_layer(stats caploop_core)
caploop_layer(taxonomy caploop_io caploop_core PkgConfig::PCRE2 PkgConfig::TOMLPP)
caploop_layer(slices caploop_taxonomy caploop_stats caploop_core)
caploop_layer(diagnose caploop_slices caploop_taxonomy caploop_stats caploop_io caploop_core)
caploop_layer(store caploop_io caploop_eval caploop_core SQLite::SQLite3 PkgConfig::ZSTD PkgConfig::XXHASH)
caploop_layer(report caploop_core)

caploop_layer(corpus caploop_io caploop_core PkgConfig::PCRE2 PkgConfig::TOMLPP PkgConfig::ZSTD ZLIB::ZLIB PkgConfig::HYPERSCAN PkgConfig::SENTENCEPIECE fasttext Threads::Threads)

caploop_layer(cluster caploop_core)
caploop_layer(mapping caploop_diagnose caploop_corpus caploop_taxonomy caploop_io caploop_core PkgConfig::TOMLPP)
caploop_layer(mixture caploop_mapping caploop_diagnose caploop_corpus caploop_stats caploop_io caploop_core PkgConfig::ZSTD)
caploop_layer(sampling caploop_mixture caploop_cluster caploop_corpus caploop_io caploop_core PkgConfig::ZSTD)
caploop_layer(verify caploop_mixture caploop_stats caploop_eval caploop_core)
caploop_layer(workspace caploop_verify caploop_mixture caploop_report caploop_store caploop_diagnose caploop_slices caploop_taxonomy caploop_io caploop_eval caploop_core)
caploop_layer(loop caploop_workspace caploop_verify caploop_sampling caploop_mixture caploop_mapping caploop_corpus caploop_report caploop_store caploop_diagnose caploop_slices caploop_taxonomy caploop_io caploop_core)

set(CAPLOOP_ALL_LAYERS caploop_loop caploop_report caploop_workspace caploop_verify caploop_sampling caploop_mixture caploop_mapping caploop_cluster caploop_corpus caploop_diagnose caploop_slices caploop_taxonomy caploop_stats caploop_store caploop_eval caploop_io caploop_core)
