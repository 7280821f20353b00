# Run as a script (cmake -P) at build time: writes a C++ file whose function returns a data file's text, byte
# for byte, as a raw string literal. Called through caploop_embed_text() in CMakeLists.txt; the generated file
# lives in the build tree only (the data file in data/ is the one copy in the repository).
#   -DINPUT=data/x.toml -DOUTPUT=<build>/x.cc -DHEADER=layer/x.h -DNAMESPACE=caploop -DFUNCTION=builtin_x_toml
file(READ "${INPUT}" _text)
set(_delimiter "caploop_embedded")
string(FIND "${_text}" ")${_delimiter}\"" _clash)
if(NOT _clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${_delimiter}\"")
endif()
file(WRITE "${OUTPUT}.tmp"
     "// Generated at build time by cmake/embed_text.cmake from ${INPUT}; not in the repository.\n"
     "#include \"${HEADER}\"\n\nnamespace ${NAMESPACE} {\n\nstd::string_view ${FUNCTION}() {\n"
     "  static constexpr std::string_view kText = R\"${_delimiter}(${_text})${_delimiter}\";\n"
     "  return kText;\n}\n\n}  // namespace ${NAMESPACE}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
