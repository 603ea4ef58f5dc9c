# Small CMake functions shared by Helhed's targets.

set(HELHED_GOOGLEAPIS_DIR "/usr/share/gocode/src/github.com/gogo/googleapis"
    CACHE PATH "Root of the google.rpc / google.type protos (Debian: golang-github-gogo-googleapis-dev)")
set(HELHED_PROTO_GEN_DIR "${CMAKE_BINARY_DIR}/gen")
file(MAKE_DIRECTORY "${HELHED_PROTO_GEN_DIR}")

# Warnings for Helhed's own code (not generated code).
function(helhed_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Wno-unused-parameter)
  if(HELHED_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# helhed_proto_library(NAME ROOT <dir> PROTOS a.proto ... [GRPC] [DEPS lib ...])
# Generates C++ (and with GRPC, the gRPC stubs) into the build tree and
# builds one static library. PROTOS are relative to ROOT.
function(helhed_proto_library name)
  cmake_parse_arguments(P "GRPC" "ROOT" "PROTOS;DEPS" ${ARGN})
  set(srcs)
  foreach(proto ${P_PROTOS})
    string(REGEX REPLACE "\\.proto$" "" base "${proto}")
    set(outs "${HELHED_PROTO_GEN_DIR}/${base}.pb.cc" "${HELHED_PROTO_GEN_DIR}/${base}.pb.h")
    set(args --cpp_out=${HELHED_PROTO_GEN_DIR})
    if(P_GRPC)
      list(APPEND outs "${HELHED_PROTO_GEN_DIR}/${base}.grpc.pb.cc"
                       "${HELHED_PROTO_GEN_DIR}/${base}.grpc.pb.h")
      list(APPEND args --grpc_out=${HELHED_PROTO_GEN_DIR}
                       --plugin=protoc-gen-grpc=$<TARGET_FILE:gRPC::grpc_cpp_plugin>)
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND protobuf::protoc ARGS ${args}
              -I ${P_ROOT} -I ${CMAKE_SOURCE_DIR}/proto -I ${HELHED_GOOGLEAPIS_DIR}
              -I ${Protobuf_INCLUDE_DIR} ${P_ROOT}/${proto}
      DEPENDS ${P_ROOT}/${proto} protobuf::protoc
      COMMENT "protoc ${proto}" VERBATIM)
    list(APPEND srcs ${outs})
  endforeach()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${HELHED_PROTO_GEN_DIR})
  target_link_libraries(${name} PUBLIC protobuf::libprotobuf ${P_DEPS})
  if(P_GRPC)
    target_link_libraries(${name} PUBLIC gRPC::grpc++)
  endif()
endfunction()

# helhed_embed_migrations(NAME DIR <dir>)
# Compiles every *.sql file of DIR into a library exposing
#   const std::vector<helhed::store::MigrationFile>& <NAME>();
# so a service binary carries its own schema.
function(helhed_embed_migrations name)
  cmake_parse_arguments(M "" "DIR" "" ${ARGN})
  file(GLOB sqls CONFIGURE_DEPENDS "${M_DIR}/*.sql")
  list(SORT sqls)
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${name}.cc")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNAME=${name} "-DFILES=${sqls}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_migrations.cmake
    DEPENDS ${sqls} ${CMAKE_SOURCE_DIR}/cmake/embed_migrations.cmake
    COMMENT "embedding migrations for ${name}" VERBATIM)
  add_library(${name} STATIC ${out})
  target_link_libraries(${name} PUBLIC helhed_store)
endfunction()
