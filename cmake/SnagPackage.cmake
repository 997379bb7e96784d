# The CMake package and the rest of an install: `cmake --install build
# --prefix DIR` gives a relocatable prefix with bin/snag, lib/libsnag_rt.so,
# share/doc/snag and lib/cmake/snag (find_package(snag)). The build folder is
# laid out the same way, so -DCMAKE_PREFIX_PATH=<build> works without
# installing.
include(CMakePackageConfigHelpers)

set(SNAG_INSTALL_BINDIR ${CMAKE_INSTALL_BINDIR})
set(SNAG_INSTALL_LIBDIR lib) # where snag looks for its runtime: <bindir>/../lib
set(SNAG_CMAKE_DIR lib/cmake/snag)

configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/snagConfig.cmake.in
  ${CMAKE_BINARY_DIR}/${SNAG_CMAKE_DIR}/snagConfig.cmake
  INSTALL_DESTINATION ${SNAG_CMAKE_DIR}
  PATH_VARS SNAG_INSTALL_BINDIR SNAG_INSTALL_LIBDIR)
write_basic_package_version_file(
  ${CMAKE_BINARY_DIR}/${SNAG_CMAKE_DIR}/snagConfigVersion.cmake
  VERSION ${PROJECT_VERSION}
  COMPATIBILITY SameMinorVersion)
install(FILES
  ${CMAKE_BINARY_DIR}/${SNAG_CMAKE_DIR}/snagConfig.cmake
  ${CMAKE_BINARY_DIR}/${SNAG_CMAKE_DIR}/snagConfigVersion.cmake
  DESTINATION ${SNAG_CMAKE_DIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
