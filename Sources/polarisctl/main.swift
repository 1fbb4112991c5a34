import PolarisCLI

await PolarisMain.run()
