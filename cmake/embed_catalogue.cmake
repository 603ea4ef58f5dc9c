# Script mode: writes OUT, a C++ file holding the message catalogue files in
# FILES (common/i18n/catalogue/<language>/<area>.txt) as
#   {"<language>/<area>.txt", "<content>"}.
set(body "// Generated from common/i18n/catalogue/*/*.txt; do not edit.\n#include \"common/i18n/catalogue_files.h\"\n\nnamespace helhed::i18n {\n\nconst std::vector<CatalogueFile>& CatalogueFiles() {\n  static const auto* files = new std::vector<CatalogueFile>{\n")
foreach(f ${FILES})
  get_filename_component(fname "${f}" NAME)
  get_filename_component(dir "${f}" DIRECTORY)
  get_filename_component(lang "${dir}" NAME)
  file(READ "${f}" text)
  string(APPEND body "      {\"${lang}/${fname}\", R\"helhed_text(${text})helhed_text\"},\n")
endforeach()
string(APPEND body "  };\n  return *files;\n}\n\n}  // namespace helhed::i18n\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
