//! Assembles the application from settings: database, migrations, first-start data, routes,
//! middleware, the OpenAPI document and the docs page.

use std::net::TcpListener;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use erp_core::auth::{AuthSettings, PermissionCatalog, PLATFORM_PERMISSIONS};
use erp_core::bootstrap::{self, AdminCreated};
use erp_core::db::{Db, DbUrl, PoolOptions};
use erp_core::error::AppError;
use erp_core::http::BodyLimit;
use erp_core::Ctx;
use utoipa::OpenApi;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::config::Settings;
use crate::openapi::{
    add_standard_errors, add_standard_headers, declare_resource_headers, tidy_summaries, ApiDoc,
};
use crate::{health, middleware};

/// Every module's routes under `/api/v1`.
fn api_v1(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    erp_core::configure(cfg);
    erp_finance::configure(cfg);
    erp_hr::configure(cfg);
    erp_inventory::configure(cfg);
    erp_crm::configure(cfg);
    erp_mrp::configure(cfg);
    crate::forecast::configure(cfg);
    crate::timesheet::configure(cfg);
}

/// Every module's permissions.
pub fn permission_catalog() -> PermissionCatalog {
    PermissionCatalog::new(&[
        PLATFORM_PERMISSIONS,
        erp_finance::PERMISSIONS,
        erp_hr::PERMISSIONS,
        erp_inventory::PERMISSIONS,
        erp_crm::PERMISSIONS,
        erp_mrp::PERMISSIONS,
    ])
}

/// The OpenAPI document, as served at `/api/openapi.json` and committed in `openapi/`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(health::configure)
        .service(scope("/api/v1").configure(api_v1))
        .split_for_parts();
    add_standard_errors(&mut doc);
    add_standard_headers(&mut doc);
    declare_resource_headers(&mut doc);
    tidy_summaries(&mut doc);
    crate::examples::add_examples(&mut doc);
    doc
}

/// No route: 405 with the methods the path takes when the contract has the path, else 404.
async fn not_found(
    req: HttpRequest,
    guarded: web::Data<middleware::Guarded>,
) -> Result<HttpResponse, AppError> {
    let allowed = guarded.allowed(req.path());
    if allowed.is_empty() {
        Err(AppError::NotFound("route"))
    } else {
        Err(AppError::MethodNotAllowed(
            allowed.iter().map(|m| m.to_string()).collect(),
        ))
    }
}

fn path_error(err: actix_web::error::PathError, _: &HttpRequest) -> actix_web::Error {
    // A malformed id names no resource.
    AppError::Validation(vec![erp_core::error::FieldError::new(
        "path",
        err.to_string(),
    )])
    .into()
}

pub struct Application {
    server: Server,
    port: u16,
    pub admin_created: Option<AdminCreated>,
}

/// Opens the database and brings its schema up to date.
pub fn open_database(settings: &Settings) -> Result<Db, String> {
    let url = DbUrl::parse(&settings.database_url)?;
    let mut options = PoolOptions::for_backend(url.backend());
    if let Some(n) = settings.db_pool_size {
        options.max_size = n;
    }
    let db = Db::connect(&url, &options)?;
    let mut conn = db.get().map_err(|e| e.to_string())?;
    erp_core::db::run_migrations(&mut conn).map_err(|e| format!("migrations failed: {e}"))?;
    // Data migrations in Rust, each once; a crash in between leaves them pending.
    let data = |e: erp_core::error::AppError| format!("data migration failed: {e}");
    let partners = erp_core::partner::service::migrate_phone_keys(&mut conn).map_err(data)?;
    let contacts =
        erp_crm::customer::service::migrate_contact_phone_keys(&mut conn).map_err(data)?;
    if partners + contacts > 0 {
        tracing::info!(partners, contacts, "phone numbers keyed in E.164");
    }
    Ok(db)
}

impl Application {
    /// Builds the server on the configured address (port 0 picks a free port). Call inside an
    /// actix runtime; run it with [`Application::run_until_stopped`].
    pub fn build(settings: Settings) -> Result<Application, String> {
        let db = open_database(&settings)?;
        let mut conn = db.get().map_err(|e| e.to_string())?;
        let admin_created = bootstrap::ensure_admin(&mut conn, settings.admin_password.as_deref())
            .map_err(|e| {
                format!(
                    "creating the admin user failed: {e} ({:?})",
                    e.problem().errors
                )
            })?;
        let secret = bootstrap::token_secret(&mut conn, settings.jwt_secret.as_deref())
            .map_err(|e| e.to_string())?;
        // Planning runs a stopped server left behind: failed, their locks freed.
        let interrupted = erp_mrp::run::service::recover(&mut conn).map_err(|e| e.to_string())?;
        if interrupted > 0 {
            tracing::warn!(
                runs = interrupted,
                "planning runs interrupted by the last stop are marked failed"
            );
        }
        drop(conn);
        let ctx = web::Data::new(Ctx {
            db,
            auth: AuthSettings::new(
                &secret,
                settings.access_token_ttl,
                settings.refresh_token_ttl,
            ),
            permissions: permission_catalog(),
            actors: Default::default(),
        });
        crate::jobs::start(&ctx);
        let doc = openapi_document();
        let guarded = web::Data::new(middleware::Guarded::from_doc(&doc));
        let listener = TcpListener::bind(&settings.bind)
            .map_err(|e| format!("cannot listen on {}: {e}", settings.bind))?;
        let port = listener.local_addr().map_err(|e| e.to_string())?.port();
        let limit = settings.max_body_bytes;
        let proxies = erp_core::http::TrustedProxies(settings.trusted_proxies.clone());
        let metrics = web::Data::new(crate::metrics::Metrics::default());
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(ctx.clone())
                .app_data(metrics.clone())
                .app_data(guarded.clone())
                .app_data(web::PayloadConfig::new(limit))
                .app_data(BodyLimit(limit))
                .app_data(proxies.clone())
                .app_data(web::PathConfig::default().error_handler(path_error))
                .wrap(from_fn(middleware::idempotency))
                .wrap(from_fn(middleware::authenticate))
                .wrap(from_fn(crate::metrics::record))
                .wrap(from_fn(middleware::request_id))
                .into_utoipa_app()
                .configure(health::configure)
                .service(scope("/api/v1").configure(api_v1))
                .into_app()
                .service(
                    SwaggerUi::new("/docs/{_:.*}")
                        .url("/api/openapi.json", doc.clone())
                        .config(docs_page()),
                )
                .configure(crate::dashboard::configure)
                .route("/docs", web::get().to(to_docs))
                .route("/", web::get().to(to_docs))
                .default_service(web::to(not_found))
        })
        .shutdown_timeout(30)
        .listen(listener)
        .map_err(|e| e.to_string())?;
        if let Some(w) = settings.workers {
            server = server.workers(w);
        }
        Ok(Application {
            server: server.run(),
            port,
            admin_created,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (graceful: in-flight requests finish) or a handle stops it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The API docs page: it asks no outside validator about the document (it works offline and
/// tells no one the server's address), starts with the operations folded, has a filter box,
/// and keeps the token across reloads.
fn docs_page() -> Config<'static> {
    Config::default()
        .validator_url("none")
        .doc_expansion("none")
        .filter(true)
        .persist_authorization(true)
}

/// `/` and `/docs` lead to the API docs.
async fn to_docs() -> HttpResponse {
    HttpResponse::Found()
        .insert_header(("Location", "/docs/"))
        .finish()
}
