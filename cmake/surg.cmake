# surg_library(NAME [DEPENDS dep...] [LIBS lib...]): a static library from the .cpp files
# in the calling folder, exposing lib/ as include root.
function(surg_library name)
  cmake_parse_arguments(ARG "" "" "DEPENDS;LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  set(scope PUBLIC)
  if(sources)
    add_library(surg_${name} STATIC ${sources})
  else()  # headers only (so far)
    add_library(surg_${name} INTERFACE)
    set(scope INTERFACE)
  endif()
  target_include_directories(surg_${name} ${scope} ${CMAKE_SOURCE_DIR}/lib)
  target_compile_definitions(surg_${name} ${scope}
    SURG_VERSION="${PROJECT_VERSION}" SURG_DATA_DIR="${SURG_DATA_DIR}")
  if(SURG_TEST_HOOKS)
    target_compile_definitions(surg_${name} ${scope} SURG_TEST_HOOKS=1)
  endif()
  foreach(dep ${ARG_DEPENDS})
    target_link_libraries(surg_${name} ${scope} surg_${dep})
  endforeach()
  target_link_libraries(surg_${name} ${scope} ${ARG_LIBS})
endfunction()

function(surg_tool src)
  get_filename_component(stem ${src} NAME_WE)          # surg_push
  string(REPLACE "surg_" "" name ${stem})               # push
  add_executable(surg-${name} ${src})
  target_link_libraries(surg-${name} PRIVATE surg_${name})
  install(TARGETS surg-${name} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endfunction()

function(surg_unit_tests dir)
  get_filename_component(name ${dir} NAME)
  file(GLOB sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(test_${name} ${sources})
  target_link_libraries(test_${name} PRIVATE surg_${name} Catch2::Catch2WithMain)
  target_compile_definitions(test_${name} PRIVATE
    SURG_SOURCE_DIR="${CMAKE_SOURCE_DIR}" SURG_BINARY_DIR="${CMAKE_BINARY_DIR}")
  catch_discover_tests(test_${name} TEST_PREFIX "${name}: ")
endfunction()
