; More than 1,000 files: Inno Setup registers them with RmRegisterResources in batches of
; 1,000. The exe of the running app comes last, so it is in the second batch.
#include "common.iss"

[Files]
Source: "{#Src}\data\*"; DestDir: "{app}\data"; Flags: ignoreversion
Source: "{#Src}\guiapp.exe"; DestDir: "{app}"; Flags: ignoreversion
