; A running windowed app whose own exe the installer replaces.
#include "common.iss"

[Files]
Source: "{#Src}\guiapp.exe"; DestDir: "{app}"; Flags: ignoreversion
