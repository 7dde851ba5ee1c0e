# Starts a fresh process of the running shell: dot-sourced by build.ps1 and tests/common.ps1. For pwsh 7 and
# Windows PowerShell 5.1 alike.

function Get-ShellCommand {
    # pwsh, run by dotnet when it is the repository's .NET tool; else the shell's own executable (pwsh, powershell.exe).
    $self = (Get-Process -Id $PID).Path
    if ([System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { return @($self, (Join-Path $PSHOME 'pwsh.dll')) }
    @($self)
}

function Invoke-FreshShell {
    <#
    Runs the script in a new process of this shell, with this process's environment changed as given ($null removes
    a variable). Sets $LASTEXITCODE. With -Capture, returns the output and error lines; else they go to the console.
    #>
    param([string] $Script, [hashtable] $Environment = @{}, [switch] $Capture)

    $command = Get-ShellCommand
    $start = [System.Diagnostics.ProcessStartInfo]::new($command[0])
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($Script))
    # -OutputFormat Text: with -EncodedCommand the streams would otherwise come as CLIXML on stderr.
    # One quoted string: ProcessStartInfo.ArgumentList is not in the .NET Framework under Windows PowerShell 5.1.
    $start.Arguments = ((@($command | Select-Object -Skip 1) + '-NoLogo', '-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded) |
        ForEach-Object { '"{0}"' -f $_ }) -join ' '
    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = [bool] $Capture
    $start.RedirectStandardError = [bool] $Capture
    foreach ($name in $Environment.Keys) {
        if ($null -eq $Environment[$name]) { $null = $start.EnvironmentVariables.Remove($name) }
        else { $start.EnvironmentVariables[$name] = [string] $Environment[$name] }
    }
    $process = [System.Diagnostics.Process]::Start($start)
    if ($Capture) {
        $errors = $process.StandardError.ReadToEndAsync()
        $output = $process.StandardOutput.ReadToEnd()
    }
    $process.WaitForExit()
    $global:LASTEXITCODE = $process.ExitCode
    if ($Capture) { ($output + $errors.Result) -split '\r?\n' | Where-Object { $_ -ne '' } }
}

function New-CleanHomeEnvironment([string] $HomePath) {
    <#
    The environment of a fresh, empty user, for Invoke-FreshShell: a new, empty HOME at $HomePath (no modules, no
    repositories, no profile), PSModulePath left for the shell to compute from it, and no Pinecone settings. On
    Windows also its own LOCALAPPDATA/APPDATA, where PowerShellGet and PSResourceGet keep their repository lists
    (the CurrentUser module folder there is under Documents, which no variable moves).
    #>
    if (Test-Path $HomePath) { Remove-Item $HomePath -Recurse -Force }
    $null = New-Item -ItemType Directory $HomePath
    $environment = @{ HOME = $HomePath; PSModulePath = $null; PINECONE_API_KEY = $null; PINECONE_CONTROLLER_HOST = $null }
    if ([System.Environment]::OSVersion.Platform -eq 'Win32NT') {
        $environment.LOCALAPPDATA = Join-Path $HomePath 'AppData/Local'
        $environment.APPDATA = Join-Path $HomePath 'AppData/Roaming'
    }
    $environment
}
