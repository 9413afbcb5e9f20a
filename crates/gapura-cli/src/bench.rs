pub fn run(_: &BenchArgs) -> anyhow::Result<std::process::ExitCode> {
    anyhow::bail!("bench: not yet")
}
#[derive(clap::Args)]
pub struct BenchArgs {}
