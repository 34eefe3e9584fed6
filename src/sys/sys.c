/*
 * sys.c - the real system table (Windows' own functions; the ntdll ones looked up once)
 * and the switch a test uses to put another one in force.
 */
#include "sys.h"
#include "wine.h"

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static struct rm_sys real;
static const struct rm_sys *volatile installed;

#define NTDLL_PROC(type, name) ((type)(void (*)(void))GetProcAddress(ntdll, name))

static BOOL CALLBACK build_real(INIT_ONCE *o, void *param, void **context)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    (void)o; (void)param; (void)context;

    real.CreateFileW = CreateFileW;
    real.CloseHandle = CloseHandle;
    real.GetFileAttributesW = GetFileAttributesW;
    real.GetFileType = GetFileType;
    real.GetFileInformationByHandle = GetFileInformationByHandle;
    real.GetFileInformationByHandleEx = GetFileInformationByHandleEx;
    real.ReadFile = ReadFile;
    real.GetFileVersionInfoSizeW = GetFileVersionInfoSizeW;
    real.GetFileVersionInfoW = GetFileVersionInfoW;
    real.DuplicateHandle = DuplicateHandle;
    real.FindFirstFileW = FindFirstFileW;
    real.FindClose = FindClose;
    real.Wow64DisableWow64FsRedirection = Wow64DisableWow64FsRedirection;
    real.Wow64RevertWow64FsRedirection = Wow64RevertWow64FsRedirection;
    real.GetSystemDirectoryW = GetSystemDirectoryW;
    real.GetSystemWow64DirectoryW = GetSystemWow64DirectoryW;

    real.OpenProcess = OpenProcess;
    real.GetProcessTimes = GetProcessTimes;
    real.GetExitCodeProcess = GetExitCodeProcess;
    real.QueryFullProcessImageNameW = QueryFullProcessImageNameW;
    real.ProcessIdToSessionId = ProcessIdToSessionId;
    real.ReadProcessMemory = ReadProcessMemory;
    real.IsWow64Process = IsWow64Process;
    real.TerminateProcess = TerminateProcess;
    real.CreateProcessW = CreateProcessW;
    real.CreateRemoteThread = CreateRemoteThread;
    real.WaitForSingleObject = WaitForSingleObject;
    real.CreateToolhelp32Snapshot = CreateToolhelp32Snapshot;
    real.Process32FirstW = Process32FirstW;
    real.Process32NextW = Process32NextW;
    real.Module32FirstW = Module32FirstW;
    real.Module32NextW = Module32NextW;
    real.GetApplicationRestartSettings = GetApplicationRestartSettings;
    real.OpenProcessToken = OpenProcessToken;
    real.GetTokenInformation = GetTokenInformation;
    real.DuplicateTokenEx = DuplicateTokenEx;
    real.CreateProcessAsUserW = CreateProcessAsUserW;
    real.CreateProcessWithTokenW = CreateProcessWithTokenW;

    real.EnumWindows = EnumWindows;
    real.GetWindow = GetWindow;
    real.GetWindowThreadProcessId = GetWindowThreadProcessId;
    real.IsWindowVisible = IsWindowVisible;
    real.IsWindow = IsWindow;
    real.GetClassNameW = GetClassNameW;
    real.GetWindowTextW = GetWindowTextW;
    real.SendMessageTimeoutW = SendMessageTimeoutW;
    real.PostMessageW = PostMessageW;
    real.SendNotifyMessageW = SendNotifyMessageW;

    real.AttachConsole = AttachConsole;
    real.FreeConsole = FreeConsole;
    real.GenerateConsoleCtrlEvent = GenerateConsoleCtrlEvent;
    real.GetConsoleProcessList = GetConsoleProcessList;
    real.GetConsoleWindow = GetConsoleWindow;
    real.SetConsoleCtrlHandler = SetConsoleCtrlHandler;
    real.GetStdHandle = GetStdHandle;
    real.SetStdHandle = SetStdHandle;
    real.WriteConsoleInputW = WriteConsoleInputW;
    real.GetConsoleMode = GetConsoleMode;
    real.CreatePipe = CreatePipe;

    real.OpenSCManagerW = OpenSCManagerW;
    real.OpenServiceW = OpenServiceW;
    real.CloseServiceHandle = CloseServiceHandle;
    real.EnumServicesStatusExW = EnumServicesStatusExW;
    real.QueryServiceStatusEx = QueryServiceStatusEx;
    real.ControlService = ControlService;
    real.StartServiceW = StartServiceW;

    real.RegOpenKeyExW = RegOpenKeyExW;
    real.RegQueryValueExW = RegQueryValueExW;
    real.RegCloseKey = RegCloseKey;
    real.RegGetValueW = RegGetValueW;

    if (ntdll) {
        real.NtQuerySystemInformation =
            NTDLL_PROC(rm_NtQuerySystemInformation_fn, "NtQuerySystemInformation");
        real.NtQueryInformationProcess =
            NTDLL_PROC(rm_NtQueryInformationProcess_fn, "NtQueryInformationProcess");
        real.NtQueryInformationFile =
            NTDLL_PROC(rm_NtQueryInformationFile_fn, "NtQueryInformationFile");
        real.wine_get_version = NTDLL_PROC(const char *(CDECL *)(void), "wine_get_version");
    }
    if (real.wine_get_version)
        real.EnumWindows = rm_wine_enum_windows;  /* starts no desktop (wine.c) */
    return TRUE;
}

const struct rm_sys *rm_sys_real(void)
{
    InitOnceExecuteOnce(&once, build_real, NULL, NULL);
    return &real;
}

const struct rm_sys *rm_sys(void)
{
    const struct rm_sys *t = installed;
    return t ? t : rm_sys_real();
}

void rm_sys_install(const struct rm_sys *table)
{
    installed = table;
}

BOOL rm_sys_is_wine(void)
{
    return rm_sys()->wine_get_version != NULL;
}
