#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.7.1' }
# Get-Help answers in the shell for every exported cmdlet, from the installed package's compiled help.

BeforeDiscovery {
    $script:Cmdlets = (Import-PowerShellDataFile (Join-Path (Split-Path $PSScriptRoot -Parent) 'PineconeRestore.psd1')).CmdletsToExport
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Get-Help <_>' -ForEach $Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $_ -Full
    }

    It 'has a written synopsis and description, not the generated syntax' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($_)) "
        ($Help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has examples, each with its code and what it does' {
        @($Help.Examples.Example) | Should -Not -BeNullOrEmpty
        foreach ($example in $Help.Examples.Example) {
            $example.Code | Should -Not -BeNullOrEmpty
            ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $parameters = (Get-Command $_).Parameters.Keys | Where-Object { $_ -notin $common }
        foreach ($name in $parameters) {
            (Get-Help $_ -Parameter $name).Description | Out-String | Should -Not -BeNullOrEmpty -Because "-$name is documented"
        }
    }
}

Describe 'about_PineconeRestore' {
    It 'answers Get-Help about_PineconeRestore' {
        $text = Get-Help about_PineconeRestore | Out-String
        $text | Should -Match 'PINECONE_API_KEY'
        $text | Should -Match 'Connect-Pinecone'
    }
}
