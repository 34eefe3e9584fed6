; A running app that has a DLL of the installation loaded; only the DLL is replaced.
#include "common.iss"

[Files]
Source: "{#Src}\plugin.dll"; DestDir: "{app}"; Flags: ignoreversion
