; Inno Setup script: the Windows installer of Desk.
;
;   python packaging\build.py
;   iscc packaging\windows\desk.iss
;
; makes dist\installer\Desk-<version>-setup.exe from the one-folder bundle in
; dist\Desk: installs into Program Files (or the user's own programs folder
; when installing without admin rights), adds a Start-menu entry and an
; uninstaller (Settings > Apps, and the Start menu). The version comes from
; Desk.exe's version resource (desk/__init__.py through packaging/desk.spec);
; pass /DAppVersion=1.2.3 to override it. Uninstalling never removes the gym's
; database or logs: they live in the user's AppData, not in {app}.

#define AppName "Desk"
#define AppExeName "Desk.exe"
#define BundleDir "..\..\dist\Desk"
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(BundleDir + "\" + AppExeName)
#endif

[Setup]
; The AppId identifies Desk to Windows across versions: never change it.
AppId={{6F1C2B7A-4D3E-4B8F-9A1D-2E5C7B9D0F13}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installer
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SetupIconFile=..\..\resources\desk.ico
UninstallDisplayIcon={app}\{#AppExeName}
UninstallDisplayName={#AppName}
OutputDir=..\..\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
#ifdef Sign
; iscc /DSign "/Sdesksign=signtool sign /fd SHA256 ... $f" (README, Packaging) signs the
; installer and the uninstaller with the gym's code-signing certificate.
SignTool=desksign
SignedUninstaller=yes
#endif

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Comment: "The front desk of your gym"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExeName}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[InstallDelete]
; A new version replaces the old bundle whole: no stale library from the last release stays.
Type: filesandordirs; Name: "{app}\_internal"

[UninstallDelete]
Type: filesandordirs; Name: "{app}\_internal"
