#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The README's examples, run as written against the emulator the README tells you to start.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Emulator = Start-TestEmulator
    Connect-TestEmulator $Emulator
    $readme = Get-Content (Join-Path $RepoRoot 'README.md') -Raw
    $usage = [regex]::Match($readme, '(?s)## Use it with Pinecone\s+```powershell\r?\n(?<code>.*?)```').Groups['code'].Value
    # The first line asks for a key at the prompt: the session is already connected to the emulator instead.
    $script:Examples = ($usage -split '\r?\n' | Where-Object { $_ -notmatch 'Read-Host' }) -join [Environment]::NewLine
    $script:Ids = [regex]::Matches($readme, '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}').Value | Sort-Object -Unique
}

AfterAll {
    Disconnect-Pinecone
    Stop-TestEmulator $Emulator
}

Describe 'The README' {
    It 'uses only ids the emulator has' {
        $Ids | Should -Not -BeNullOrEmpty
        $known = @(Get-EmulatorJob $Emulator).restoreJobId
        foreach ($id in $Ids) { $known | Should -Contain $id }
    }

    It 'runs its examples as written: jobs come out, and only the bad id fails' {
        $output = . ([scriptblock]::Create($Examples)) *>&1  # -Verbose lines too, kept off the console
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NOT_FOUND,*'
        $errors[0].TargetObject | Should -Be 'no-such-job'
        @($output | Where-Object { $_ -is [PineconeRestore.RestoreJob] }).Count | Should -BeGreaterThan 10
        $output | Should -Contain 'NOT_FOUND'  # what the try/catch example prints
    }
}
