; One-stop counter desk application — Windows installer (NSIS 3, Unicode).
;
; Build (on Windows, after `uv run python installer/build.py`):
;   makensis /DVERSION=0.1.0 installer\windows\onestop.nsi
; Defines (all optional):
;   PAYLOAD   folder of the PyInstaller one-folder build   (default ..\..\dist\onestop)
;   VERSION   product version shown in Add/Remove programs (default 0.0.0)
;   OUTFILE   installer to write            (default ..\..\dist\onestop-setup-VERSION.exe)
;   NOCOMPRESS  store files uncompressed (fast; used by the tests that only check the script)
;
; Installing (as administrator; every switch is optional; /S = silent):
;   onestop-setup.exe /S /CENTRAL=https://motcua.example.vn /TOKEN=abc123 /DATADIR=D:\onestop
; writes %PROGRAMDATA%\onestop\provisioning.json (format in docs/installer.md), which the
; app reads at its first start. The data folder is per machine and is kept on upgrade and
; on uninstall.

Unicode true
ManifestDPIAware true
RequestExecutionLevel admin
!ifdef NOCOMPRESS
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifndef PAYLOAD
  !define PAYLOAD "..\..\dist\onestop"
!endif
!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\..\dist\onestop-setup-${VERSION}.exe"
!endif

!define APPNAME "onestop"
!define DISPLAYNAME "Một cửa (onestop)"
!define PUBLISHER "onestop"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPNAME}"
!define ENVKEY "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"
!define GUIEXE "onestopw.exe"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "x64.nsh"
!include "WinMessages.nsh"

Name "${DISPLAYNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPNAME}"
InstallDirRegKey HKLM "${UNINSTKEY}" "InstallLocation"
BrandingText "${DISPLAYNAME} ${VERSION}"

VIProductVersion "0.0.0.0"
VIAddVersionKey /LANG=0 "ProductName" "${DISPLAYNAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${DISPLAYNAME} installer"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "LegalCopyright" "MIT"

Var DataDir
Var Central
Var Token

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"

LangString MsgNot64 ${LANG_VIETNAMESE} "Chương trình cần Windows 64-bit."
LangString MsgNot64 ${LANG_ENGLISH} "This program needs 64-bit Windows."
LangString MsgBadValue ${LANG_VIETNAMESE} "Tham số /CENTRAL hoặc /TOKEN chứa ký tự không hợp lệ (dấu nháy kép hoặc gạch chéo ngược)."
LangString MsgBadValue ${LANG_ENGLISH} "/CENTRAL or /TOKEN contains a character that is not allowed (double quote or backslash)."

; Reject values that would break the JSON we write: a quote or a backslash.
!macro CheckJsonSafe VALUE
  Push ${VALUE}
  Call CheckJsonSafe
!macroend

Function CheckJsonSafe
  Exch $0
  Push $1
  Push $2
  StrCpy $1 0
  ${Do}
    StrCpy $2 $0 1 $1
    ${If} $2 == ""
      ${Break}
    ${EndIf}
    ${If} $2 == '"'
    ${OrIf} $2 == "\"
      MessageBox MB_ICONSTOP "$(MsgBadValue)" /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
    IntOp $1 $1 + 1
  ${Loop}
  Pop $2
  Pop $1
  Pop $0
FunctionEnd

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(MsgNot64)" /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  ; Command line: /CENTRAL=<url> /TOKEN=<desk token> /DATADIR=<folder>
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/CENTRAL=" $Central
  ClearErrors
  ${GetOptions} $R0 "/TOKEN=" $Token
  ClearErrors
  ${GetOptions} $R0 "/DATADIR=" $DataDir
  ${If} $DataDir == ""
    ; SetShellVarContext all: $APPDATA is %PROGRAMDATA%.
    StrCpy $DataDir "$APPDATA\${APPNAME}"
  ${EndIf}
  !insertmacro CheckJsonSafe $Central
  !insertmacro CheckJsonSafe $Token
FunctionEnd

Section "Install"
  SetOutPath "$INSTDIR"
  ; Upgrade: replace the program files, never the data folder (it is outside $INSTDIR).
  RMDir /r "$INSTDIR\_internal"
  File /r "${PAYLOAD}\*"

  ; Per-machine data folder, writable by every officer's (non-administrator) account.
  CreateDirectory "$DataDir"
  nsExec::ExecToLog 'icacls "$DataDir" /grant *S-1-5-32-545:(OI)(CI)M /T /Q'
  Pop $0

  ; Provisioning for the first start (only when given; an existing file is replaced).
  ${If} $Central != ""
  ${OrIf} $Token != ""
    FileOpen $1 "$DataDir\provisioning.json" w
    FileWrite $1 '{$\r$\n'
    FileWrite $1 '  "format": 1,$\r$\n'
    FileWrite $1 '  "central_url": "$Central",$\r$\n'
    FileWrite $1 '  "desk_token": "$Token",$\r$\n'
    FileWrite $1 '  "data_dir": "'
    ; Backslashes of the folder path are escaped for JSON by writing them as forward slashes.
    Push $DataDir
    Call SlashPath
    Pop $2
    FileWrite $1 '$2",$\r$\n'
    FileWrite $1 '  "installer_version": "${VERSION}"$\r$\n'
    FileWrite $1 '}$\r$\n'
    FileClose $1
  ${EndIf}

  ; Every program started on this machine finds the same data folder (also `onestop` in a
  ; console, for support staff); the shortcuts also say it explicitly.
  WriteRegExpandStr HKLM "${ENVKEY}" "ONESTOP_DATA_DIR" "$DataDir"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000

  CreateDirectory "$SMPROGRAMS\${DISPLAYNAME}"
  CreateShortcut "$SMPROGRAMS\${DISPLAYNAME}\${DISPLAYNAME}.lnk" "$INSTDIR\${GUIEXE}" \
    '--data-dir "$DataDir"' "$INSTDIR\${GUIEXE}" 0
  CreateShortcut "$SMPROGRAMS\${DISPLAYNAME}\Uninstall.lnk" "$INSTDIR\uninstall.exe"
  CreateShortcut "$DESKTOP\${DISPLAYNAME}.lnk" "$INSTDIR\${GUIEXE}" \
    '--data-dir "$DataDir"' "$INSTDIR\${GUIEXE}" 0

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${DISPLAYNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DataLocation" "$DataDir"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${GUIEXE}"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" "$0"
SectionEnd

; "C:\ProgramData\onestop" -> "C:/ProgramData/onestop" (Windows accepts both).
Function SlashPath
  Exch $0
  Push $1
  Push $2
  Push $3
  StrCpy $3 ""
  StrCpy $1 0
  ${Do}
    StrCpy $2 $0 1 $1
    ${If} $2 == ""
      ${Break}
    ${EndIf}
    ${If} $2 == "\"
      StrCpy $2 "/"
    ${EndIf}
    StrCpy $3 "$3$2"
    IntOp $1 $1 + 1
  ${Loop}
  StrCpy $0 $3
  Pop $3
  Pop $2
  Pop $1
  Exch $0
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "Uninstall"
  ; The data folder (database, provisioning, backups) is deliberately left in place: a
  ; reinstall or upgrade finds the desk as it was. Its location stays in the log below.
  ReadRegStr $DataDir HKLM "${UNINSTKEY}" "DataLocation"
  DetailPrint "Data kept in: $DataDir"
  Delete "$DESKTOP\${DISPLAYNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${DISPLAYNAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\onestop.exe"
  Delete "$INSTDIR\${GUIEXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegValue HKLM "${ENVKEY}" "ONESTOP_DATA_DIR"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  DeleteRegKey HKLM "${UNINSTKEY}"
SectionEnd
