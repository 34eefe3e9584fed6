// modes.cpp - modes.c compiled as C++ (C++98, -pedantic-errors).
#include "modes.c"
