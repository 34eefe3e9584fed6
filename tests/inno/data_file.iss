; A running app that holds a data file of the installation open. Inno Setup only looks
; for apps using files that match CloseApplicationsFilter, so run.sh adds *.dat to it.
#include "common.iss"

[Files]
Source: "{#Src}\settings.dat"; DestDir: "{app}"; Flags: ignoreversion
