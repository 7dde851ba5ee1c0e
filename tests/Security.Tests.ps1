#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Issue 15, in real pwsh: under random faults and hostile bodies, neither the key nor a URL's password reaches a
# stream, an error (message, target, exception chain) or a transcript file.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Key = 'pcsk_PESTER-SEC-5e4d3c-never-print-me'
    $script:Password = 'Pester-url-pw-77'
    $script:Emulator = Start-TestEmulator -Arguments '--api-key', $Key
}

AfterAll {
    Disconnect-Pinecone
    Remove-Item Env:PINECONE_CONTROLLER_HOST -ErrorAction SilentlyContinue
    Stop-TestEmulator $Emulator
}

Describe 'Secrets under faults' {
    It 'are in no transcript, stream or error' {
        Reset-Emulator $Emulator
        Add-EmulatorFault $Emulator @{ kind = 'CustomBody'; statusCode = 502; contentType = 'text/html'; body = "<html>Api-Key: $Key</html>"; remaining = 1 }
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 400; message = "bad key $Key"; pathPrefix = '/restore-jobs/echo'; remaining = -1 }
        $null = Invoke-EmulatorAdmin $Emulator Post random-faults @{ seed = 15; rate = 0.3; retryAfterSeconds = '0'; delayMs = 1500 }
        $withPassword = $Emulator.Url -replace '^http://', "http://user:$Password@"
        $Error.Clear()
        $transcript = Join-Path $TestDrive 'transcript.txt'
        $null = Start-Transcript -Path $transcript
        try {
            $all = & {
                Connect-Pinecone -ApiKey $Key -ControllerHost $Emulator.Url -TimeoutSec 1 -MaxRetries 1 -PassThru -Verbose
                try { Get-PineconeRestoreJob -PageSize 2 -Verbose -Debug } catch { $_ }
                'echo', 'missing', '7a3f9c2e-5b1d-4e8a-9f6c-0d2b4e6a8c01' | Get-PineconeRestoreJob -ApiKey $Key -Verbose
                try { Get-PineconeRestoreJob -ApiKey $Key -ControllerHost $withPassword } catch { $_ }
                try { Connect-Pinecone -ControllerHost $withPassword } catch { $_ }
                Disconnect-Pinecone
                $env:PINECONE_CONTROLLER_HOST = $withPassword
                try { Get-PineconeRestoreJob -ApiKey $Key } catch { $_ }
                Remove-Item Env:PINECONE_CONTROLLER_HOST
            } *>&1 | Out-String -Width 500
        }
        finally {
            $null = Stop-Transcript
            $null = Invoke-EmulatorAdmin $Emulator Delete random-faults
        }

        # Everything an error holds, as a user digging into $Error would see it.
        $errors = $Error | ForEach-Object {
            $_ | Format-List * -Force | Out-String -Width 500
            $_.TargetObject | Out-String -Width 500
            for ($e = $_.Exception; $e; $e = $e.InnerException) { $e | Format-List * -Force | Out-String -Width 500 }
        }

        # The run went where it should: the bad URLs were refused naming the problem, the rest answered or failed.
        $all | Should -Match 'must not carry a user name'
        $all | Should -Match 'NOT_FOUND'
        @($Error | Where-Object { "$($_.TargetObject)" -like '*<user info hidden>@*' }).Count | Should -BeGreaterOrEqual 3
        foreach ($secret in $Key, $Password) {
            $all | Should -Not -Match ([regex]::Escape($secret))
            ($errors -join "`n") | Should -Not -Match ([regex]::Escape($secret))
            Get-Content $transcript -Raw | Should -Not -Match ([regex]::Escape($secret))
        }
    }
}
