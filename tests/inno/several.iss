; Several running apps at once: a windowed app (its exe), a plugin host (a DLL), an
; editor (a data file; run.sh adds *.dat to the filter) and a console tool (its exe).
#include "common.iss"

[Files]
Source: "{#Src}\guiapp.exe"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#Src}\plugin.dll"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#Src}\settings.dat"; DestDir: "{app}"; Flags: ignoreversion
Source: "{#Src}\consoletool.exe"; DestDir: "{app}"; Flags: ignoreversion
