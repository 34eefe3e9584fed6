/*
 * rmbenchplug.c - a DLL that the first holder of the benchmark's world loads: the
 * "1 loaded DLL" case registers it (one user, found only through module lists).
 */
#include <windows.h>

__declspec(dllexport) int __cdecl rmbenchplug_answer(void)
{
    return 42;
}
