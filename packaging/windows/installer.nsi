; Loa Studio's Windows installer (NSIS 3, 64-bit, per user: no
; administrator rights). Built by scripts/build-windows.sh, which passes:
;   VERSION   the release, e.g. 0.1.0
;   STAGE     the folder holding the program files (loa-studio.exe, loa.exe,
;             the MinGW run-time DLLs, WebView2Loader.dll, notices)
;   OUTFILE   the installer to write
;   ICON      the app's .ico
; and optionally:
;   MODEL     a whisper.cpp model put in the user's models folder, so
;             transcription works offline from the first launch
;   WEBVIEW2  an extracted WebView2 *fixed version* runtime folder, carried
;             for offices where the runtime is missing and there is no
;             internet (the app finds it beside itself)
Unicode true
ManifestDPIAware true
Target amd64-unicode
SetCompressor /SOLID lzma

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include WordFunc.nsh
!include WinMessages.nsh
!include x64.nsh

!define APP "Loa Studio"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\LoaStudio"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
; Where the app keeps its data (directories::ProjectDirs on Windows) and
; where WebView2 keeps the window's cache (the app identifier).
!define DATA_ROOT "$APPDATA\Loa Studio"
!define WEBVIEW_DATA "$LOCALAPPDATA\vn.loastudio.desktop"

Name "${APP}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\Loa Studio"
InstallDirRegKey HKCU "Software\Loa Studio" "InstallDir"
BrandingText "${APP} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP} installer"
VIAddVersionKey /LANG=0 "LegalCopyright" "Loa Studio contributors, MIT license"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\loa-studio.exe"
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "Software\Loa Studio"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_UNCOMPONENTSPAGE_NODESC

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${STAGE}\LICENSE.txt"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default when Windows speaks neither.
!insertmacro MUI_LANGUAGE "Vietnamese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString PackageType ${LANG_VIETNAMESE} "Gói phát thanh Loa Studio"
LangString PackageType ${LANG_ENGLISH} "Loa Studio broadcast package"
LangString CliShortcut ${LANG_VIETNAMESE} "Loa (dòng lệnh)"
LangString CliShortcut ${LANG_ENGLISH} "Loa (command line)"
LangString NeedX64 ${LANG_VIETNAMESE} "Loa Studio cần Windows 64-bit."
LangString NeedX64 ${LANG_ENGLISH} "Loa Studio needs 64-bit Windows."
LangString NoWebView ${LANG_VIETNAMESE} "Máy này chưa có Microsoft Edge WebView2 Runtime, thứ cửa sổ Loa Studio cần để hiển thị. Windows 11 và Windows 10 đã cập nhật đều có sẵn. Hãy cài nó (hoặc dùng bộ cài ngoại tuyến có kèm WebView2) rồi mở Loa Studio. Dòng lệnh loa.exe vẫn dùng được.$\n$\nVẫn tiếp tục cài đặt?"
LangString NoWebView ${LANG_ENGLISH} "This PC lacks the Microsoft Edge WebView2 Runtime, which the Loa Studio window needs. Windows 11 and updated Windows 10 include it. Install it (or use the offline installer that carries WebView2), then open Loa Studio. The loa.exe command line works without it.$\n$\nContinue the installation?"
LangString PathSkipped ${LANG_VIETNAMESE} "Biến PATH của người dùng quá dài, không được sửa: mở loa.exe từ lối tắt Loa (dòng lệnh)."
LangString PathSkipped ${LANG_ENGLISH} "The user's PATH is too long to edit safely: open loa.exe from the Loa (command line) shortcut."
LangString SecProgram ${LANG_VIETNAMESE} "Chương trình"
LangString SecProgram ${LANG_ENGLISH} "Program"
LangString SecData ${LANG_VIETNAMESE} "Cả dữ liệu: kịch bản, bản ghi, khóa trạm, mô hình (không thể hoàn tác)"
LangString SecData ${LANG_ENGLISH} "Also the data: scripts, recordings, station key, models (cannot be undone)"

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP $(NeedX64) /SD IDOK
    Abort
  ${EndIf}
  !ifndef WEBVIEW2
    Call HasWebView2
    Pop $0
    ${If} $0 == 0
      MessageBox MB_YESNO|MB_ICONEXCLAMATION $(NoWebView) /SD IDYES IDYES +2
      Abort
    ${EndIf}
  !endif
FunctionEnd

; 1 when an Evergreen WebView2 runtime is installed for the machine or
; this user (Microsoft's documented registry check), else 0.
Function HasWebView2
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $0 == ""
    ReadRegStr $0 HKLM "SOFTWARE\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $0 == ""
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    Push 0
  ${Else}
    Push 1
  ${EndIf}
FunctionEnd

Var Updating

Section "-Program"
  ; `setup.exe /S /UPDATE` is how the app installs an update it verified
  ; (loa_core::update::install): it has just started us and is closing, so
  ; wait (up to 15 s) until Windows lets go of its program file.
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/UPDATE" $1
  ${IfNot} ${Errors}
    StrCpy $Updating 1
    StrCpy $2 0
    ${Do}
      ClearErrors
      FileOpen $3 "$INSTDIR\loa-studio.exe" a
      ${If} ${Errors}
        ${If} ${FileExists} "$INSTDIR\loa-studio.exe"
          Sleep 500
          IntOp $2 $2 + 1
          ${Continue}
        ${EndIf}
      ${Else}
        FileClose $3
      ${EndIf}
      ${ExitDo}
    ${LoopUntil} $2 >= 30
  ${EndIf}
  SetOutPath "$INSTDIR"
  File "${STAGE}\loa-studio.exe"
  File "${STAGE}\loa.exe"
  File "${STAGE}\WebView2Loader.dll"
  File "${STAGE}\libstdc++-6.dll"
  File "${STAGE}\libgcc_s_seh-1.dll"
  File "${STAGE}\libwinpthread-1.dll"
  File "${STAGE}\libmp3lame-0.dll"
  ; whisper.cpp and its CPU variants, the best of which is loaded at run time.
  File "${STAGE}\libwhisper.dll"
  File "${STAGE}\ggml.dll"
  File "${STAGE}\ggml-base.dll"
  File "${STAGE}\ggml-cpu-*.dll"
  File "${STAGE}\LAME-COPYING.txt"
  File "${STAGE}\LICENSE.txt"
  File "${STAGE}\THIRD-PARTY-NOTICES.txt"
  ; The Vietnamese word list term recognition reads (GPL data, see its README).
  SetOutPath "$INSTDIR\vi-words"
  File "${STAGE}\vi-words\*"
  SetOutPath "$INSTDIR"
  !ifdef WEBVIEW2
    SetOutPath "$INSTDIR\WebView2"
    File /r "${WEBVIEW2}\*"
    SetOutPath "$INSTDIR"
  !endif
  !ifdef MODEL
    ; Into the user's models folder, never over a model already there.
    SetOutPath "${DATA_ROOT}\LoaStudio\data\models"
    SetOverwrite off
    File "/oname=whisper-base.bin" "${MODEL}"
    SetOverwrite on
    SetOutPath "$INSTDIR"
  !endif

  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\loa-studio.exe"
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\loa-studio.exe"
  CreateShortcut "$SMPROGRAMS\$(CliShortcut).lnk" "$SYSDIR\cmd.exe" '/k "set PATH=$INSTDIR;%PATH%&& loa --version"' "$INSTDIR\loa.exe"

  ; A .loa file opens in the app (per user: HKCU\Software\Classes).
  WriteRegStr HKCU "Software\Classes\.loa" "" "LoaStudio.Package"
  WriteRegStr HKCU "Software\Classes\LoaStudio.Package" "" "$(PackageType)"
  WriteRegStr HKCU "Software\Classes\LoaStudio.Package\DefaultIcon" "" "$INSTDIR\loa-studio.exe,0"
  WriteRegStr HKCU "Software\Classes\LoaStudio.Package\shell\open\command" "" '"$INSTDIR\loa-studio.exe" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  Call AddToPath

  WriteRegStr HKCU "Software\Loa Studio" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "Loa Studio"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\loa-studio.exe,0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
  ; After an update the app comes back by itself.
  ${If} $Updating == 1
    Exec '"$INSTDIR\loa-studio.exe"'
  ${EndIf}
SectionEnd

; Puts the install folder on the user's PATH so `loa` works in any prompt.
; NSIS strings hold 1024 characters: a longer PATH is left untouched rather
; than cut (the Start-menu prompt still has loa on its PATH).
Function AddToPath
  ; RRF_RT_REG_SZ|RRF_RT_REG_EXPAND_SZ|RRF_NOEXPAND; r2 gets the size in bytes.
  System::Call 'advapi32::RegGetValueW(p 0x80000001, w "Environment", w "Path", i 0x10000006, p 0, p 0, *i 0 r2) i .r1'
  ${If} $1 == 2
    StrCpy $0 ""
  ${ElseIf} $1 == 0
  ${AndIf} $2 < 1800
    ReadRegStr $0 HKCU "Environment" "Path"
  ${Else}
    DetailPrint $(PathSkipped)
    Return
  ${EndIf}
  ClearErrors
  ${WordFind} "$0" ";" "E/$INSTDIR" $3
  ${If} ${Errors}
  ${AndIf} $0 != "$INSTDIR"
    ${If} $0 == ""
      StrCpy $0 "$INSTDIR"
    ${Else}
      StrCpy $0 "$0;$INSTDIR"
    ${EndIf}
    WriteRegExpandStr HKCU "Environment" "Path" "$0"
    ; Only an entry this installer added is taken out again (a reinstall
    ; finds it present and keeps the first install's note).
    WriteRegDWORD HKCU "Software\Loa Studio" "PathAdded" 1
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
  ${EndIf}
FunctionEnd

Section "-un.Program"
  Delete "$INSTDIR\loa-studio.exe"
  Delete "$INSTDIR\loa.exe"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\libstdc++-6.dll"
  Delete "$INSTDIR\libgcc_s_seh-1.dll"
  Delete "$INSTDIR\libwinpthread-1.dll"
  Delete "$INSTDIR\libmp3lame-0.dll"
  Delete "$INSTDIR\libwhisper.dll"
  Delete "$INSTDIR\ggml.dll"
  Delete "$INSTDIR\ggml-base.dll"
  Delete "$INSTDIR\ggml-cpu-*.dll"
  Delete "$INSTDIR\LAME-COPYING.txt"
  Delete "$INSTDIR\LICENSE.txt"
  Delete "$INSTDIR\THIRD-PARTY-NOTICES.txt"
  RMDir /r "$INSTDIR\WebView2"
  RMDir /r "$INSTDIR\vi-words"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  Delete "$SMPROGRAMS\$(CliShortcut).lnk"

  ReadRegStr $0 HKCU "Software\Classes\.loa" ""
  ${If} $0 == "LoaStudio.Package"
    DeleteRegKey HKCU "Software\Classes\.loa"
  ${EndIf}
  DeleteRegKey HKCU "Software\Classes\LoaStudio.Package"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  ReadRegDWORD $0 HKCU "Software\Loa Studio" "PathAdded"
  ${If} $0 == 1
    ReadRegStr $1 HKCU "Environment" "Path"
    ${un.WordReplace} "$1" ";$INSTDIR" "" "+" $1
    ${un.WordReplace} "$1" "$INSTDIR;" "" "+" $1
    ${un.WordReplace} "$1" "$INSTDIR" "" "+" $1
    ${If} $1 == ""
      DeleteRegValue HKCU "Environment" "Path"
    ${Else}
      WriteRegExpandStr HKCU "Environment" "Path" "$1"
    ${EndIf}
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=2000
  ${EndIf}
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\Loa Studio"
SectionEnd

; Left unticked: the data (scripts, recordings, the station's signing key)
; outlives the program unless the user asks.
Section /o "un.$(SecData)" SecUnData
  RMDir /r "${DATA_ROOT}"
  RMDir /r "${WEBVIEW_DATA}"
SectionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
  ; `uninstall.exe /S /PURGE` removes the data too, without asking.
  ${un.GetParameters} $0
  ClearErrors
  ${un.GetOptions} $0 "/PURGE" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${SecUnData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd
