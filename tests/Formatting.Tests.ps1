#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# The default table in a real console: readable at 80 columns, nothing cut at 120, for data like Pinecone's.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Emulator = Start-TestEmulator
    Connect-TestEmulator $Emulator
    # The sample jobs (short index names) and real-looking ones: uuid ids, index names of 23 to 25 characters.
    $script:Jobs = @(
        @{ status = 'InProgress'; targetIndexName = 'customer-support-tickets1'; percentComplete = 42.5; createdAt = '2025-06-01T11:30:00Z' }
        @{ status = 'Completed'; targetIndexName = 'products'; percentComplete = 100; createdAt = '2025-05-31T09:15:00Z'; completedAt = '2025-05-31T09:42:17Z' }
        @{ status = 'Pending'; targetIndexName = 'search-staging-eu-west-1'; createdAt = '2025-06-01T11:58:30Z' }
        @{ status = 'Cancelled'; targetIndexName = 'reviews-archive-2024-q4'; percentComplete = 12.5; createdAt = '2025-05-25T08:00:00Z'; completedAt = '2025-05-25T08:20:00Z' }
    ) | ForEach-Object {
        $_.restoreJobId = [guid]::NewGuid().ToString()
        $_.backupId = [guid]::NewGuid().ToString()
        $_.targetIndexId = [guid]::NewGuid().ToString()
        Add-EmulatorJob $Emulator $_
        [pscustomobject] $_
    }
    $script:All = @(Get-EmulatorJob $Emulator)

    function Get-Table([int] $Width) {
        $lines = (Get-PineconeRestoreJob | Out-String -Width $Width) -split '\r?\n' | Where-Object { $_.Trim() }
        $lines | ForEach-Object { Write-Host $_ }
        $lines
    }
}

AfterAll {
    Disconnect-Pinecone
    Stop-TestEmulator $Emulator
}

Describe 'The default view of restore jobs' {
    It 'at 80 columns: one header line, and each job on one line with its full id and status' {
        $lines = Get-Table 80
        $lines[0] | Should -Match '^RestoreJobId\s+Status\s+Percent\s+TargetIndexName\s*$'
        $lines[1] | Should -Match '^-+ +-+ +-+ +-+\s*$'
        $lines | Select-Object -Skip 2 | Should -HaveCount $All.Count
        foreach ($job in $All) {
            $lines | Where-Object { $_.StartsWith($job.restoreJobId) } | Should -Match "^$($job.restoreJobId) +$($job.status) "
        }
        $lines | ForEach-Object { $_.TrimEnd().Length | Should -BeLessOrEqual 80 }
    }

    It 'at 100 columns: one header line, up to the creation date' {
        $lines = Get-Table 100
        $lines[0] | Should -Match '^RestoreJobId\s+Status\s+Percent\s+TargetIndexName\s+Created \(UTC\)\s*$'
        $lines | Select-Object -Skip 2 | Should -HaveCount $All.Count
    }

    It 'at 120 columns: every column, nothing cut, dates marked UTC' {
        $lines = Get-Table 120
        $lines[0] | Should -Match '^RestoreJobId\s+Status\s+Percent\s+TargetIndexName\s+Created \(UTC\)\s+Completed \(UTC\)$'
        # Cut text ends in an ellipsis: one character in pwsh, three dots in Windows PowerShell.
        $lines | Should -Not -Match "$([char] 0x2026)|\.\.\."
        $lines | Select-Object -Skip 2 | Should -HaveCount $All.Count
        foreach ($job in $All) {
            $row = $lines | Where-Object { $_.StartsWith($job.restoreJobId) }
            $row | Should -Match " $($job.status) "
            $row | Should -Match " $([regex]::Escape($job.targetIndexName)) "
            foreach ($date in $job.createdAt, $job.completedAt | Where-Object { $_ }) {
                # Invoke-RestMethod may already have made the emulator's timestamp a DateTime.
                $utc = if ($date -is [datetime]) { $date.ToUniversalTime() } else { [datetimeoffset]::Parse($date, [cultureinfo]::InvariantCulture).UtcDateTime }
                $row | Should -Match $utc.ToString('yyyy-MM-dd HH:mm')
            }
        }
    }
}
