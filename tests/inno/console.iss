; A running console app whose exe the installer replaces.
#include "common.iss"

[Files]
Source: "{#Src}\consoletool.exe"; DestDir: "{app}"; Flags: ignoreversion
