; Standwatch's Windows installer (NSIS 3). Built by assets/packaging/windows/build.sh:
;   makensis -DVERSION=0.1.0 -DEXE=path/standwatch.exe -DROOT=repo -DOUTFILE=Standwatch-Setup-0.1.0.exe
; Per user (no admin rights): the program under %LOCALAPPDATA%\Programs\Standwatch, a
; Start-menu entry, an optional desktop shortcut, the uninstaller in "Apps & features".
; The user's workspaces, letters, settings and logs (%APPDATA%\standwatch, Documents) are
; never touched, by the installer or the uninstaller.

Unicode true
; 64-bit installer: Debian's NSIS makes 32-bit ones by default.
Target amd64-unicode
SetCompressor /SOLID lzma
RequestExecutionLevel user
ManifestDPIAware true

!include "MUI2.nsh"

!define NAME "Standwatch"
!define PUBLISHER "Standwatch maintainers"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Standwatch"

Name "${NAME} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\Standwatch"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${NAME}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${NAME} installer"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "LegalCopyright" "MIT licence"

!define MUI_ICON "${ROOT}/assets/icons/standwatch.ico"
!define MUI_UNICON "${ROOT}/assets/icons/standwatch.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\standwatch.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open Standwatch"

!insertmacro MUI_PAGE_LICENSE "${ROOT}/LICENSE"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Standwatch" SecProgram
  SectionIn RO
  SetOutPath "$INSTDIR"
  File "/oname=standwatch.exe" "${EXE}"
  File "/oname=standwatch.ico" "${ROOT}/assets/icons/standwatch.ico"
  File "/oname=README.md" "${ROOT}/README.md"
  File "/oname=LICENSE.txt" "${ROOT}/LICENSE"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\Standwatch"
  CreateShortcut "$SMPROGRAMS\Standwatch\Standwatch.lnk" "$INSTDIR\standwatch.exe" "" "$INSTDIR\standwatch.ico" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\standwatch.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ; The size "Apps & features" shows, in KB.
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" ${SIZE_KB}
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\Standwatch.lnk" "$INSTDIR\standwatch.exe" "" "$INSTDIR\standwatch.ico" 0
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} "The program, its Start-menu entry and its uninstaller."
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "A shortcut on the desktop."
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; The program and its shortcuts only: workspaces, letters, settings and logs stay.
Section "Uninstall"
  Delete "$INSTDIR\standwatch.exe"
  Delete "$INSTDIR\standwatch.ico"
  Delete "$INSTDIR\README.md"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\Standwatch\Standwatch.lnk"
  RMDir "$SMPROGRAMS\Standwatch"
  Delete "$DESKTOP\Standwatch.lnk"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
