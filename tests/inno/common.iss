; common.iss - what every test installer shares; each scenario's script includes it and
; adds its [Files]. run.sh passes, with ISCC's /D:
;   Scenario   the installer's name (output file, app name)
;   AppDir     where it installs (the folder the running apps use)
;   Src        the folder holding the new versions of the files
;   OutDir     where ISCC writes the installer
; and may pass CloseMode (default force) and ExtraFilter (more CloseApplicationsFilter
; patterns).

#ifndef CloseMode
  #define CloseMode "force"
#endif

[Setup]
AppName=rstrtmgr Inno test {#Scenario}
AppVersion=2.0
DefaultDirName={#AppDir}
OutputDir={#OutDir}
OutputBaseFilename={#Scenario}
; Nothing to remove afterwards, and no prompt for elevation under Wine.
Uninstallable=no
PrivilegesRequired=lowest
DisableDirPage=yes
DisableProgramGroupPage=yes
DisableReadyPage=yes
; Build fast: the payload is small test programs.
Compression=none
; What issue 8 is about: close the apps using our files, then restart them.
CloseApplications={#CloseMode}
RestartApplications=yes
#ifdef ExtraFilter
CloseApplicationsFilter=*.exe,*.dll,*.chm,{#ExtraFilter}
#endif
SetupLogging=yes
