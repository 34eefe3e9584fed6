; Run twice by run.sh: the second run updates the apps the first run restarted.
#include "common.iss"

[Files]
Source: "{#Src}\guiapp.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#Src}\consoletool.exe"; DestDir: "{app}"; Flags: ignoreversion
