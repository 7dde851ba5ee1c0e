#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Installed the way users install it: from a folder repository holding the nupkg, into a new user's empty HOME,
# with PowerShellGet's Install-Module and with PSResourceGet's Install-PSResource; then used without Import-Module.
# Each step is a new process, as each would be a new session for a user.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Version = (Import-PowerShellDataFile (Join-Path $RepoRoot 'PineconeRestore.psd1')).ModuleVersion
    $script:Repository = Join-Path $TestDrive 'repository'
    $null = New-Item -ItemType Directory $Repository
    Copy-Item (Get-TestPackage) $Repository
    $script:Emulator = Start-TestEmulator
    $script:Results = Join-Path $RepoRoot 'out/TestResults'
    $null = New-Item -ItemType Directory $Results -Force

    function Invoke-AsUser([hashtable] $User, [string] $Script) {
        $output = Invoke-FreshShell -Capture -Environment $User -Script ("`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'`n" + $Script)
        $output | ForEach-Object { Write-Host "    | $_" }
        if ($LASTEXITCODE) { throw "The script failed with exit code ${LASTEXITCODE}: $($output -join [Environment]::NewLine)" }
        $output
    }

    # The CurrentUser module folder comes first on a new user's PSModulePath; list what is installed there.
    $script:ListInstalled = @'
$userModules = ($env:PSModulePath -split [System.IO.Path]::PathSeparator)[0]
Get-Module PineconeRestore -ListAvailable | Where-Object ModuleBase -like "$userModules*" | ForEach-Object { "$($_.Version) $($_.ModuleBase)" }
'@
    # No Import-Module: PowerShell must find the command on PSModulePath and load the installed copy by itself.
    $script:AutoLoad = @"
`$job = Get-PineconeRestoreJob -ApiKey '$($Emulator.ApiKey)' -ControllerHost '$($Emulator.Url)' -First 1
'{0} {1}' -f `$job.GetType().FullName, (Get-Module PineconeRestore).ModuleBase
"@
}

AfterAll {
    Stop-TestEmulator $Emulator
}

Describe 'Install-Module (PowerShellGet)' {
    BeforeAll {
        $script:User = New-CleanHomeEnvironment (Join-Path $TestDrive 'powershellget-user')
        $script:Cmdlets = (Import-PowerShellDataFile (Join-Path $RepoRoot 'PineconeRestore.psd1')).CmdletsToExport
    }

    It 'installs it from a local folder repository; Get-Module -ListAvailable shows its version; Find-Command finds its cmdlets' {
        $output = Invoke-AsUser $User @"
Register-PSRepository -Name LocalFolder -SourceLocation '$Repository' -InstallationPolicy Trusted
Install-Module PineconeRestore -Repository LocalFolder -Scope CurrentUser -Verbose 4>&1 | ForEach-Object { "VERBOSE: `$_" }
'---'
$ListInstalled
'---'
# By the nupkg's PSCommand_ tags, as the Gallery's command search does.
'$($Cmdlets -join "','")' | ForEach-Object { Find-Command `$_ -Repository LocalFolder } | ForEach-Object { '{0} {1}' -f `$_.Name, `$_.ModuleName }
"@
        $install, $script:Installed, $found = ($output -join "`n") -split '(?m)^---\n'
        $install | Set-Content (Join-Path $Results 'Install-Module.txt')  # what a user sees, kept for the record
        $install | Should -Match "Module 'PineconeRestore' was installed successfully"
        $script:Installed = @($Installed.Trim() -split '\n')
        $Installed | Should -HaveCount 1
        $Installed | Should -BeLike "$Version *"
        $found.Trim() -split '\n' | Should -Be ($Cmdlets | ForEach-Object { "$_ PineconeRestore" })
    }

    It 'a new session that calls Get-PineconeRestoreJob loads it without Import-Module' {
        Invoke-AsUser $User $AutoLoad | Should -Be "PineconeRestore.RestoreJob $(($Installed[0] -split ' ', 2)[1])"
    }

    It 'Uninstall-Module removes it' {
        Invoke-AsUser $User ("Uninstall-Module PineconeRestore`n" + $ListInstalled) | Should -BeNullOrEmpty
    }
}

Describe 'Install-PSResource (PSResourceGet)' -Skip:(-not (Get-Command Install-PSResource -ErrorAction SilentlyContinue)) {
    BeforeAll {
        $script:User = New-CleanHomeEnvironment (Join-Path $TestDrive 'psresourceget-user')
    }

    It 'installs it from a local folder repository; Get-Module -ListAvailable shows its version' {
        $script:Installed = @(Invoke-AsUser $User @"
Register-PSResourceRepository -Name LocalFolder -Uri '$Repository' -Trusted
Install-PSResource PineconeRestore -Repository LocalFolder -Scope CurrentUser
$ListInstalled
"@)
        $Installed | Should -HaveCount 1
        $Installed | Should -BeLike "$Version *"
    }

    It 'a new session that calls Get-PineconeRestoreJob loads it without Import-Module' {
        Invoke-AsUser $User $AutoLoad | Should -Be "PineconeRestore.RestoreJob $(($Installed[0] -split ' ', 2)[1])"
    }

    It 'Uninstall-PSResource removes it' {
        Invoke-AsUser $User ("Uninstall-PSResource PineconeRestore`n" + $ListInstalled) | Should -BeNullOrEmpty
    }
}
