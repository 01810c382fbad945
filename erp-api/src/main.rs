//! `erp`: the ERP server and its administration commands.

use clap::{Parser, Subcommand};
use erp_api::config::LogFormat;
use erp_api::{ConfigArgs, Settings};

#[derive(Parser)]
#[command(
    name = "erp",
    version,
    about = "ERP server: inventory, MRP, CRM, finance, HR"
)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the OpenAPI document.
    Openapi,
    /// Load demo data (two branches, warehouses, a few hundred items with stock) into the first company.
    Demo,
    /// User administration without the API.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a user with every permission (in the first company).
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long, env = "ERP_NEW_USER_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Set a new password for a user.
    ResetPassword {
        #[arg(long)]
        username: String,
        #[arg(long, env = "ERP_NEW_USER_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

fn init_logging(format: LogFormat) {
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // Colours only for a terminal: a log written to a file or a pipe stays plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

fn main() {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        let doc = erp_api::openapi_document();
        println!("{}", doc.to_pretty_json().expect("the document serialises"));
        return;
    }
    let settings = match Settings::load(&cli.config) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("erp: configuration error: {e}");
            std::process::exit(2);
        }
    };
    init_logging(settings.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
        Command::Migrate => {
            erp_api::app::open_database(&settings).map(|_| println!("migrations applied"))
        }
        Command::Admin(cmd) => admin(settings, cmd),
        Command::Demo => demo(settings),
        Command::Openapi => Ok(()),
    };
    if let Err(e) = result {
        eprintln!("erp: {e}");
        std::process::exit(1);
    }
}

fn serve(settings: Settings) -> Result<(), String> {
    let bind = settings.bind.clone();
    actix_web::rt::System::new().block_on(async move {
        let app = erp_api::Application::build(settings)?;
        if let Some(admin) = &app.admin_created {
            match &admin.generated_password {
                Some(pw) => println!(
                    "Created user `{}` with generated password: {pw}\n(shown once; set ERP_ADMIN_PASSWORD to choose it)",
                    admin.username
                ),
                None => println!("Created user `{}` with the password from ERP_ADMIN_PASSWORD", admin.username),
            }
        }
        let host = bind.rsplit_once(':').map_or(bind.as_str(), |(h, _)| h);
        println!("ERP listening on http://{host}:{}  (API docs: http://{host}:{}/docs/)", app.port(), app.port());
        app.run_until_stopped().await.map_err(|e| e.to_string())
    })
}

fn demo(settings: Settings) -> Result<(), String> {
    let db = erp_api::app::open_database(&settings)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let created = erp_core::bootstrap::ensure_admin(&mut conn, settings.admin_password.as_deref())
        .map_err(|e| e.to_string())?;
    if let Some(pw) = created.and_then(|a| a.generated_password) {
        println!("Created user `admin` with generated password: {pw}");
    }
    drop(conn);
    let summary = erp_api::demo::load(&db).map_err(|e| format!("{e}: {:?}", e.problem().errors))?;
    println!("{summary}");
    Ok(())
}

fn admin(settings: Settings, cmd: AdminCommand) -> Result<(), String> {
    let db = erp_api::app::open_database(&settings)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    let outcome = match cmd {
        AdminCommand::CreateUser { username, password } => {
            erp_core::iam::user::admin::create_superuser(&mut conn, &username, &password)
        }
        AdminCommand::ResetPassword { username, password } => {
            erp_core::iam::user::admin::reset_password(&mut conn, &username, &password)
        }
    };
    outcome.map_err(|e| format!("{e}: {:?}", e.problem().errors))?;
    println!("done");
    Ok(())
}
