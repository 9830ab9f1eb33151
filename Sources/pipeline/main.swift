import PipelineCLI

PipelineCLI.main()
