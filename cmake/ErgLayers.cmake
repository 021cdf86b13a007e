# One static library per lib/ folder, each linking only the layers below it (DESIGN.md's flow).
#
#   erg_layer(NAME SOURCES ... LAYERS lower layers ... LIBRARIES third-party targets ...)
#
# Layers are PRIVATE: a layer that uses another without declaring it fails the link check
# below, and test_layers.py fails when one includes a header of a layer it does not declare.
# Third-party libraries are PUBLIC, since their headers appear in the layers' headers.
set_property(GLOBAL PROPERTY ERG_LAYERS "")

function(erg_layer name)
  cmake_parse_arguments(L "" "" "SOURCES;LAYERS;LIBRARIES" ${ARGN})
  add_library(erg_${name} STATIC ${L_SOURCES})
  target_include_directories(erg_${name} PUBLIC ${PROJECT_SOURCE_DIR}/lib)
  set(lower "")
  foreach(layer IN LISTS L_LAYERS)
    list(APPEND lower erg_${layer})
  endforeach()
  target_link_libraries(erg_${name} PRIVATE ${lower} PUBLIC ${L_LIBRARIES})
  string(REPLACE ";" " " declared "${L_LAYERS}")
  set_property(GLOBAL APPEND PROPERTY ERG_LAYERS "${name}:${declared}")
  if(ERG_BUILD_TESTS AND NOT ERG_FUZZ)
    # Every object of the layer pulled in, against only what it declares: an undeclared use
    # of another layer is an undefined symbol here.
    add_executable(erg_link_check_${name} ${PROJECT_SOURCE_DIR}/cmake/link_check_main.cpp)
    target_link_libraries(erg_link_check_${name} PRIVATE "$<LINK_LIBRARY:WHOLE_ARCHIVE,erg_${name}>" ${lower})
  endif()
endfunction()

# The declared layers, one line each ("name: lower ..."), for test_layers.py.
function(erg_write_layers path)
  get_property(layers GLOBAL PROPERTY ERG_LAYERS)
  set(text "")
  foreach(entry IN LISTS layers)
    string(REPLACE ":" ": " entry "${entry}")
    string(APPEND text "${entry}\n")
  endforeach()
  file(WRITE ${path} "${text}")
endfunction()
