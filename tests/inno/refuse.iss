; A running windowed app that refuses to close. run.sh builds it with CloseMode=yes (no
; forced close): the installer must say so and must not leave the exe half-replaced.
#include "common.iss"

[Files]
Source: "{#Src}\stubborn.exe"; DestDir: "{app}"; Flags: ignoreversion
