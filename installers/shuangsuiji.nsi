; 双随机工作台 — Windows installer (NSIS 3, Modern UI 2, Simplified Chinese).
;
; Installs the PyInstaller bundle (dist\shuangsuiji) to Program Files, adds start-menu and
; desktop shortcuts and an entry in 设置 → 应用 (Add/Remove Programs). The uninstaller
; removes the program's own files only: the office data (database, backups, attachments,
; logs) live in each user's %LOCALAPPDATA%\shuangsuiji, which it never touches, and a
; data\ folder of portable mode beside the program is left in place too.
;
; Built by installers/build.py --installer, which passes the defines below, e.g.
;   makensis -INPUTCHARSET UTF8 -DDIST_DIR=..\dist\shuangsuiji -DEXE_NAME=shuangsuiji.exe
;            -DVERSION=0.1.0 -DVERSION_4=0.1.0.0 -DOUT_FILE=..\dist\setup.exe shuangsuiji.nsi

Unicode true
ManifestDPIAware true
!ifdef NO_COMPRESSION
  SetCompress off  ; a quick compile check (CI on Linux): the script, not the size
!else
  SetCompressor /SOLID lzma
!endif

!ifndef DIST_DIR
  !define DIST_DIR "..\dist\shuangsuiji"
!endif
!ifndef EXE_NAME
  !define EXE_NAME "shuangsuiji.exe"
!endif
!ifndef CLI_NAME
  !define CLI_NAME "shuangsuiji-cli.exe"
!endif
!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef VERSION_4
  !define VERSION_4 "${VERSION}.0"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "..\dist\shuangsuiji-${VERSION}-setup.exe"
!endif
!ifndef ICON
  !define ICON "..\resources\icons\shuangsuiji.ico"
!endif

!if ! /FileExists "${DIST_DIR}\_internal"
  !error "No bundle in ${DIST_DIR}: run installers/build.py first (or pass -DDIST_DIR=…)."
!endif
!if ! /FileExists "${DIST_DIR}\${EXE_NAME}"
  !error "${EXE_NAME} is not in ${DIST_DIR} (pass -DEXE_NAME=…)."
!endif

!define APP_ID "shuangsuiji"
!define APP_NAME "双随机工作台"
!define PUBLISHER "双随机工作台"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define UNINSTALLER "uninstall.exe"

Name "${APP_NAME} ${VERSION}"
Caption "${APP_NAME} ${VERSION} 安装"
OutFile "${OUT_FILE}"
InstallDir "$PROGRAMFILES64\${APP_ID}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION_4}"
VIFileVersion "${VERSION_4}"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "版权所有"

!include "MUI2.nsh"
!include "x64.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "本向导将在这台电脑上安装${APP_NAME} ${VERSION}。$\r$\n$\r$\n\
  办公室的数据（数据库、备份、附件）保存在每位用户自己的数据文件夹（%LOCALAPPDATA%\${APP_ID}）中，\
  升级或卸载程序都不会删除它们。$\r$\n$\r$\n请先关闭正在运行的${APP_NAME}，然后单击“下一步”。"
!define MUI_FINISHPAGE_RUN
!define MUI_FINISHPAGE_RUN_TEXT "运行${APP_NAME}"
!define MUI_FINISHPAGE_RUN_FUNCTION RunAsUser
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将删除 $INSTDIR 中的程序文件和快捷方式。$\r$\n\
  您的数据（数据库、备份、附件，位于 %LOCALAPPDATA%\${APP_ID}）不会被删除；\
  需要时请在“文件 → 备份与恢复”中另行备份或自行删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME}需要 64 位 Windows 10 或更新的版本。"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

; The installer runs as administrator; the program must run as the person who installed it
; (their %LOCALAPPDATA%, not the administrator's): Explorer starts it un-elevated.
Function RunAsUser
  Exec '"$WINDIR\explorer.exe" "$INSTDIR\${EXE_NAME}"'
FunctionEnd

Section "${APP_NAME}" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the old bundle whole: no library of the old version stays behind.
  RMDir /r "$INSTDIR\_internal"
  File /r "${DIST_DIR}\*"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\${EXE_NAME}" "" \
    "$INSTDIR\${EXE_NAME}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}（演示县）.lnk" "$INSTDIR\${EXE_NAME}" \
    "--demo" "$INSTDIR\${EXE_NAME}" 0
  CreateShortcut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\${UNINSTALLER}"
  CreateShortcut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\${EXE_NAME}" "" "$INSTDIR\${EXE_NAME}" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE_NAME},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  SectionGetSize ${SecProgram} $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0
SectionEnd

; Only what the installer put there, by name: never RMDir /r "$INSTDIR" (a person may have
; chosen a folder holding other things), never the user's data folder.
Section "Uninstall"
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"

  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE_NAME}"
  Delete "$INSTDIR\${CLI_NAME}"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"  ; only if empty: a portable.txt and data\ stay where they are

  DeleteRegKey HKLM "${UNINSTALL_KEY}"
SectionEnd
