#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The backup-and-restore lifecycle as a user runs it: Get-, New-, Remove- and Restore-PineconeBackup from the installed
# package against the emulator in its own process, its clock running at 10x (a new backup is Ready after 0.2 s, a
# restore completes after 0.3 s). One file for the four cmdlets of one noun: one emulator start instead of four.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Emulator = Start-TestEmulator -Arguments '--clock-speed', '10'
    Connect-TestEmulator $Emulator
    $script:Ready = 'b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11'

    function script:Reset-Backups {
        Reset-Emulator $Emulator
        $null = Invoke-EmulatorAdmin $Emulator Post settings @{ backupReadyAfterSeconds = 2; restoreCompleteAfterSeconds = 3 }
    }

    function script:Get-Post { @(Get-EmulatorRequest $Emulator | Where-Object method -eq POST) }
}

AfterAll {
    Disconnect-Pinecone
    Stop-TestEmulator $Emulator
}

Describe 'The backup lifecycle' {
    BeforeEach { Reset-Backups }

    It 'comes from the installed package' {
        (Get-Command Restore-PineconeBackup).Module.ModuleBase | Should -Be $InstalledModule.ModuleBase
    }

    It 'backs up, restores and removes in one pipeline' {
        $job = New-PineconeBackup -IndexName docs-prod -Name pester -Wait -PollingIntervalSeconds 0.1 |
            Restore-PineconeBackup -IndexName docs-pester -Wait -PollingIntervalSeconds 0.1

        $job | Should -BeOfType ([PineconeRestore.RestoreJob])
        $job.Status | Should -Be Completed
        $job.TargetIndexName | Should -Be docs-pester
        $backup = Get-PineconeBackup -BackupId $job.BackupId
        $backup | Should -BeOfType ([PineconeRestore.Backup])
        $backup.Status | Should -Be Ready
        $backup.CreatedAt.Kind | Should -Be Utc

        $backup | Remove-PineconeBackup -Confirm:$false | Should -BeNullOrEmpty
        { Get-PineconeBackup -BackupId $job.BackupId -ErrorAction Stop } | Should -Throw -ErrorId 'NOT_FOUND,PineconeRestore.Commands.GetPineconeBackupCommand'
    }

    It '-WhatIf sends nothing for New-, Restore- and Remove-PineconeBackup' {
        New-PineconeBackup -IndexName products -WhatIf
        Restore-PineconeBackup -BackupId $Ready -IndexName products-copy -WhatIf
        Get-PineconeBackup -BackupId $Ready | Remove-PineconeBackup -WhatIf

        @(Get-EmulatorRequest $Emulator | Where-Object method -ne GET) | Should -HaveCount 0
        Get-PineconeBackup -BackupId $Ready | Should -Not -BeNullOrEmpty
    }

    It 'sends the bodies the spec names' {
        $null = New-PineconeBackup -IndexName products -Name nightly -Description 'before v3'
        $null = Restore-PineconeBackup -BackupId $Ready -IndexName products-tagged -Tag @{ env = 'drill' } -DeletionProtection Disabled

        (Get-Post).body | Should -Be '{"name":"nightly","description":"before v3"}', '{"name":"products-tagged","tags":{"env":"drill"},"deletion_protection":"disabled"}'
    }

    It 'does not resend a create after a 503, and says to check first; resends it after a 429' {
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 503; method = 'POST'; remaining = 1; retryAfter = '0' }
        New-PineconeBackup -IndexName products -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'UNAVAILABLE,*'
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike 'Check with Get-PineconeBackup -IndexName products before trying again*'
        Get-Post | Should -HaveCount 1

        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 429; method = 'POST'; remaining = 1; retryAfter = '0' }
        (Restore-PineconeBackup -BackupId $Ready -IndexName after-429).TargetIndexName | Should -Be after-429
        (Get-Post).statusCode | Should -Be 503, 429, 202
    }
}

Describe 'Errors of the backup cmdlets' {
    BeforeEach { Reset-Backups }

    It 'FORBIDDEN when the backup quota is used up' {
        $null = Invoke-EmulatorAdmin $Emulator Post settings @{ backupQuota = 1 }
        $caught = try { New-PineconeBackup -IndexName products -ErrorAction Stop } catch [PineconeRestore.PineconeApiException] { $_ }
        $caught.Exception.ErrorCode | Should -Be FORBIDDEN
        $caught.CategoryInfo.Category | Should -Be PermissionDenied
    }

    It '<code> (HTTP <status>) keeps the API''s code and category' -ForEach @(
        @{ code = 'PAYMENT_REQUIRED'; status = 402; category = 'QuotaExceeded' }
        @{ code = 'UNPROCESSABLE_ENTITY'; status = 422; category = 'InvalidData' }
    ) {
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = $status; errorCode = $code; method = 'POST'; remaining = 1 }
        $null = Restore-PineconeBackup -BackupId $Ready -IndexName failing -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be "$code,PineconeRestore.Commands.RestorePineconeBackupCommand"
        $failed[0].CategoryInfo.Category | Should -Be $category
    }

    It 'ALREADY_EXISTS for a taken index name' {
        $null = Restore-PineconeBackup -BackupId $Ready -IndexName products -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ALREADY_EXISTS,*'
        $failed[0].CategoryInfo.Category | Should -Be ResourceExists
    }

    It 'FAILED_PRECONDITION for a backup not Ready, recommending to wait for it' {
        $null = Restore-PineconeBackup -BackupId 9d1e3f5a-7b9c-4d1e-8f3a-5b7c9d1e3f40 -IndexName early -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'FAILED_PRECONDITION,*'
        $failed[0].ErrorDetails.Message | Should -BeLike '*is not Ready*'
        $failed[0].ErrorDetails.RecommendedAction | Should -BeLike '*New-PineconeBackup -Wait*'
    }

    It 'FAILED_PRECONDITION for a backup a pending restore reads from, naming the job' {
        Remove-PineconeBackup -BackupId e74f0b5c-1a6d-4c8b-9d4e-5f2a3b0c6d14 -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed[0].FullyQualifiedErrorId | Should -Be 'FAILED_PRECONDITION,PineconeRestore.Commands.RemovePineconeBackupCommand'
        $failed[0].ErrorDetails.RecommendedAction | Should -Be 'Wait for them to finish (Wait-PineconeRestoreJob -RestoreJobId 3f5a7c9e-1b3d-4f5a-9c7e-9b1d3f5a7c04), then remove the backup again.'
    }

    It 'refuses a bad index name or tag before any request' {
        { New-PineconeBackup -IndexName Bad_Name } | Should -Throw -ErrorId 'ParameterArgumentValidationError,PineconeRestore.Commands.NewPineconeBackupCommand'
        { Restore-PineconeBackup -BackupId $Ready -IndexName ok -Tag @{ 'a key' = 'v' } } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        Get-EmulatorRequest $Emulator | Should -BeNullOrEmpty
    }
}

Describe 'Listing backups' {
    BeforeEach { Reset-Backups }

    It 'follows every page of <_> and -First asks for no more' -ForEach @('/backups', '/indexes/products/backups') {
        $scope = if ($_ -eq '/backups') { @{} } else { @{ IndexName = 'products' } }
        $all = Get-PineconeBackup @scope
        (Get-PineconeBackup @scope -PageSize 1).BackupId | Should -Be $all.BackupId
        $null = Reset-Backups

        (Get-PineconeBackup @scope -First 1).BackupId | Should -Be $all[0].BackupId
        $requests = @(Get-EmulatorRequest $Emulator)
        $requests | Should -HaveCount 1
        $requests[0].path | Should -Be $_
        $requests[0].query | Should -Be '?limit=1'
    }

    It 'shows a table readable at 80 columns' {
        $lines = (Get-PineconeBackup | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines[0] | Should -Match '^BackupId\s+Status\s+SourceIndexName\s*$'
        foreach ($backup in Get-PineconeBackup) {
            $lines | Where-Object { $_.StartsWith($backup.BackupId) } | Should -Match "^$($backup.BackupId) +$($backup.Status) "
        }
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'Completion of -BackupId and -IndexName' {
    BeforeEach { Reset-Backups }

    It 'completes <line>' -ForEach @(
        @{ line = 'Remove-PineconeBackup -BackupId b41'; expected = 'b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11' }
        @{ line = 'Restore-PineconeBackup -BackupId 0e2'; expected = '0e2f4a6b-8c0d-4e2f-9a4b-6c8d0e2f4a41' }
        @{ line = 'New-PineconeBackup -IndexName search-'; expected = 'search-staging' }
        @{ line = 'Get-PineconeBackup -IndexName scr'; expected = 'scratch' }
    ) {
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be $expected
    }
}
