; A running 64-bit app that has a DLL of the installation loaded; the 32-bit installer replaces only the DLL.
#include "common.iss"

[Files]
Source: "{#Src}\plugin.dll"; DestDir: "{app}"; Flags: ignoreversion
