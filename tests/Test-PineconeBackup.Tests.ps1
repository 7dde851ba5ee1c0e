#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5 tests of Test-PineconeBackup, the restore drill, in a real pwsh: the stories TestBackupTests proves in the
# hosted engine, and the scheduled-script story. The emulator's clock runs at 600 x wall time, so its five-minute
# restores take half a second and each drill ends in about a second.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    # The staged build folder when common.ps1 names it; otherwise the installed package, found on PSModulePath.
    if (Get-Variable ModuleManifest -Scope Script -ErrorAction Ignore) { Import-Module $ModuleManifest -Force }
    $script:Emulator = Start-TestEmulator
    Connect-Pinecone -ApiKey $Emulator.ApiKey -ControllerHost $Emulator.Url
    $script:ReadyBackup = 'b41c7e29-8d3a-4f5e-a6b1-2c9d0e7f3a11'   # products: 120000 records in 3 namespaces

    function script:Invoke-Admin([string] $Method, [string] $Path, $Body) {
        $request = @{ Method = $Method; Uri = "$($Emulator.Url)_emulator/$Path" }
        if ($PSBoundParameters.ContainsKey('Body')) { $request.Body = ConvertTo-Json -InputObject $Body -Depth 5; $request.ContentType = 'application/json' }
        Invoke-RestMethod @request
    }

    function script:Requests { @(Get-EmulatorRequest $Emulator) | ForEach-Object { $_ } }

    # As hashtables: an index's namespaces include "", which ConvertFrom-Json refuses as a property name.
    function script:Indexes { (Invoke-WebRequest -Uri "$($Emulator.Url)_emulator/indexes").Content | ConvertFrom-Json -AsHashtable | ForEach-Object { $_ } }

    function script:DrillIndexes { Indexes | Where-Object { $_.name -like '*-drill-*' } }
}

AfterAll {
    Disconnect-Pinecone
    Stop-TestEmulator $Emulator
}

Describe 'Test-PineconeBackup' {
    BeforeEach {
        Reset-Emulator $Emulator
        $null = Invoke-Admin Post 'clock/run?speed=600'
    }

    It 'passes a good backup, reports every field, and deletes its scratch index' {
        $result = Test-PineconeBackup -BackupId $ReadyBackup -PollingIntervalSeconds 0.1

        $result | Should -BeOfType ([PineconeRestore.BackupTestResult])
        $result.BackupId | Should -Be $ReadyBackup
        $result.SourceIndexName | Should -Be 'products'
        $result.ScratchIndexName | Should -Match '^products-drill-\d{14}$'
        $result.RunId | Should -Not -BeNullOrEmpty
        $result.RestoreJobId | Should -Not -BeNullOrEmpty
        $result.Passed | Should -BeTrue
        $result.ExpectedRecordCount | Should -Be 120000
        $result.RestoredRecordCount | Should -Be 120000
        $result.ExpectedNamespaceCount | Should -Be 3
        $result.RestoredNamespaceCount | Should -Be 3
        $result.Dimension | Should -Be 1536
        $result.RestoreDuration | Should -BeOfType ([timespan])
        $result.RestoreDuration | Should -BeGreaterThan ([timespan]::Zero)
        $result.TotalDuration | Should -BeGreaterOrEqual $result.RestoreDuration
        $result.IndexDeleted | Should -BeTrue
        $result.Failure | Should -BeNullOrEmpty

        $log = Requests
        $log[0].method, $log[0].path | Should -Be 'GET', "/backups/$ReadyBackup"
        $log[1].method, $log[1].path | Should -Be 'POST', "/backups/$ReadyBackup/create-index"
        $body = $log[1].body | ConvertFrom-Json -AsHashtable
        $body.name | Should -Be $result.ScratchIndexName
        $body.deletion_protection | Should -Be 'disabled'
        $body.tags.Keys | Should -Be 'restore-drill'
        $body.tags['restore-drill'] | Should -Be $result.RunId
        $log | Where-Object path -eq "/restore-jobs/$($result.RestoreJobId)" | Should -Not -BeNullOrEmpty
        $stats = @($log | Where-Object path -eq '/describe_index_stats')
        $stats.Count | Should -Be 1
        $stats[0].method | Should -Be 'POST'
        $stats[0].indexHost | Should -Match '^127\.0\.0\.1:\d+$'
        $log[-1].method, $log[-1].path | Should -Be 'DELETE', "/indexes/$($result.ScratchIndexName)"
        (Indexes).name | Should -Contain 'products'
        DrillIndexes | Should -BeNullOrEmpty
    }

    It 'fails on lost records with BackupTestFailed, the result as TargetObject, and still deletes the index' {
        Add-EmulatorFault $Emulator @{ kind = 'LoseRecords'; records = 5 }

        $result = Test-PineconeBackup -BackupId $ReadyBackup -PollingIntervalSeconds 0.1 -ErrorVariable problems -ErrorAction SilentlyContinue

        $?  | Should -BeFalse
        $result.Passed | Should -BeFalse
        $result.RestoredRecordCount | Should -Be 119995
        $result.Failure | Should -Match '119995 records, the backup has 120000'
        $result.IndexDeleted | Should -BeTrue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'BackupTestFailed,*'
        $problems[0].TargetObject | Should -Be $result
        DrillIndexes | Should -BeNullOrEmpty
    }

    It 'passes when the first stats reads lag and then catch up' {
        Add-EmulatorFault $Emulator @{ kind = 'LagStats'; remaining = 2 }

        $result = Test-PineconeBackup -BackupId $ReadyBackup -PollingIntervalSeconds 0.1

        $result.Passed | Should -BeTrue
        @(Requests | Where-Object path -eq '/describe_index_stats').Count | Should -Be 3
    }

    It 'gives RestoreJobFailed for a failed restore and deletes the index' {
        Add-EmulatorFault $Emulator @{ kind = 'FailRestore' }

        $result = Test-PineconeBackup -BackupId $ReadyBackup -PollingIntervalSeconds 0.1 -ErrorVariable problems -ErrorAction SilentlyContinue

        $result.Passed | Should -BeFalse
        $result.IndexDeleted | Should -BeTrue
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'RestoreJobFailed,*'
        DrillIndexes | Should -BeNullOrEmpty
    }

    It 'ends at -Timeout with BackupTestFailed and deletes the index' {
        $null = Invoke-Admin Post settings @{ restoreCompleteAfterSeconds = 86400 }

        $result = Test-PineconeBackup -BackupId $ReadyBackup -PollingIntervalSeconds 0.1 -Timeout 1 -ErrorVariable problems -ErrorAction SilentlyContinue

        $result.Passed | Should -BeFalse
        $result.Failure | Should -Match 'Timeout of 1 s passed'
        $result.IndexDeleted | Should -BeTrue
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'BackupTestFailed,*'
        $problems[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        DrillIndexes | Should -BeNullOrEmpty
    }

    It 'deletes the scratch index within a few seconds when stopped (Ctrl+C) during the wait' {
        $null = Invoke-Admin Post settings @{ restoreCompleteAfterSeconds = 86400 }
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($Manifest, $Key, $Url, $Id)
            if ($Manifest) { Import-Module $Manifest } else { Import-Module PineconeRestore }
            Test-PineconeBackup -BackupId $Id -ApiKey $Key -ControllerHost $Url -PollingIntervalSeconds 0.1
        }).AddArgument($(if (Get-Variable ModuleManifest -Scope Script -ErrorAction Ignore) { $ModuleManifest })).AddArgument($Emulator.ApiKey).AddArgument($Emulator.Url).AddArgument($ReadyBackup)
        $running = $ps.BeginInvoke()
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(20)
            while (@(Requests | Where-Object path -like '/restore-jobs/*').Count -lt 2 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
            @(DrillIndexes).Count | Should -Be 1

            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $ps.Stop()
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
            { $ps.EndInvoke($running) } | Should -Throw
        }
        finally {
            # Whatever failed above, no drill goes on into the next test.
            $ps.Stop()
            $ps.Dispose()
        }

        DrillIndexes | Should -BeNullOrEmpty
        (Requests)[-1].method | Should -Be 'DELETE'
    }

    It '-WhatIf sends no POST and no DELETE' {
        $result = Test-PineconeBackup -BackupId $ReadyBackup -WhatIf

        $result | Should -BeNullOrEmpty
        Requests | Where-Object method -in 'POST', 'DELETE' | Should -BeNullOrEmpty
        @(Requests).Count | Should -Be 1
    }

    It '-KeepIndex keeps the scratch index, tagged with the run id' {
        $result = Test-PineconeBackup -BackupId $ReadyBackup -PollingIntervalSeconds 0.1 -KeepIndex

        $result.Passed | Should -BeTrue
        $result.IndexDeleted | Should -BeFalse
        $kept = DrillIndexes
        $kept.name | Should -Be $result.ScratchIndexName
        $kept.tags['restore-drill'] | Should -Be $result.RunId
        Requests | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
    }

    It 'refuses a backup that is not Ready with BackupNotReady and creates nothing' {
        Test-PineconeBackup -BackupId '9d1e3f5a-7b9c-4d1e-8f3a-5b7c9d1e3f40' -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $problems[0].FullyQualifiedErrorId | Should -BeLike 'BackupNotReady,*'
        Requests | Where-Object method -eq 'POST' | Should -BeNullOrEmpty
    }

    It 'refuses a taken scratch name with ALREADY_EXISTS and deletes nothing' {
        Test-PineconeBackup -BackupId $ReadyBackup -ScratchIndexName scratch -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ALREADY_EXISTS,*'
        Requests | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
        (Indexes).name | Should -Contain 'scratch'
    }

    It 'never deletes an index it did not create, even after a create-index answered 503' {
        $null = Invoke-Admin Post indexes @{ name = 'kept-by-someone'; tags = @{ 'restore-drill' = 'another-run' }; namespaces = @{ '' = 10 } }
        Add-EmulatorFault $Emulator @{ kind = 'Status'; statusCode = 503; method = 'POST'; pathPrefix = '/backups/' }

        $result = Test-PineconeBackup -BackupId $ReadyBackup -ScratchIndexName kept-by-someone -ErrorAction SilentlyContinue

        $result.Passed | Should -BeFalse
        $result.IndexDeleted | Should -BeFalse
        $result.Failure | Should -Match 'not this drill''s'
        @(Requests | Where-Object method -eq 'POST').Count | Should -Be 1
        Requests | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
        (Indexes).name | Should -Contain 'kept-by-someone'
    }
}

Describe 'The scheduled restore drill script' {
    BeforeEach {
        Reset-Emulator $Emulator
        $null = Invoke-Admin Post 'clock/run?speed=600'
        $null = Invoke-Admin Post indexes @{ name = 'prod'; dimension = 768; namespaces = @{ '' = 900; 'eu' = 100 } }
        $script:ProdBackup = 'a0b1c2d3-0000-4000-8000-000000000017'
        $null = Invoke-Admin Post backups @{
            backupId = $ProdBackup; sourceIndexName = 'prod'; sourceIndexId = 'prod-id'; status = 'Ready'; dimension = 768
            recordCount = 1000; namespaceCount = 2; createdAt = '2025-06-01T02:00:00Z'; namespaces = @{ '' = 900; 'eu' = 100 }
        }
        $PSDefaultParameterValues['Test-PineconeBackup:PollingIntervalSeconds'] = 0.1
    }

    AfterEach {
        $PSDefaultParameterValues.Remove('Test-PineconeBackup:PollingIntervalSeconds')
    }

    It 'reports success from Test-PineconeBackup -IndexName prod -ErrorAction Stop' {
        $report = try {
            $result = Test-PineconeBackup -IndexName prod -ErrorAction Stop
            "OK $($result.BackupId) $($result.RestoredRecordCount)"
        }
        catch { "FAILED $($_.FullyQualifiedErrorId)" }

        $report | Should -Be "OK $ProdBackup 1000"
        DrillIndexes | Should -BeNullOrEmpty
    }

    It 'catches a drill that did not pass, with the result to report on' {
        Add-EmulatorFault $Emulator @{ kind = 'LoseRecords'; records = 1 }

        $caught = $null
        try {
            $null = Test-PineconeBackup -IndexName prod -ErrorAction Stop
            $reached = $true
        }
        catch { $caught = $_ }

        $reached | Should -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'BackupTestFailed,*'
        $caught.TargetObject.Passed | Should -BeFalse
        $caught.TargetObject.IndexDeleted | Should -BeTrue
        $caught.TargetObject.Failure | Should -Match '999 records, the backup has 1000'
        DrillIndexes | Should -BeNullOrEmpty
    }

    It 'drills what Get-PineconeBackup -BackupId pipes to it' {
        $results = Get-PineconeBackup -BackupId $ProdBackup, $ReadyBackup | Test-PineconeBackup -ErrorAction Stop

        $results.BackupId | Should -Be $ProdBackup, $ReadyBackup
        $results.Passed | Should -Be $true, $true
        DrillIndexes | Should -BeNullOrEmpty
    }
}
