//! The language server behind `rolecall lsp`: diagnostics of the whole
//! policy set while typing, hover, navigation, completion, formatting and
//! quick fixes, over the Language Server Protocol.
//!
//! Built on `lsp-server` (a synchronous, channel-based scaffold kept with
//! rust-analyzer) and `lsp-types`. Requests are answered one at a time, in
//! order: a re-check of a set is fast enough that nothing needs to run
//! concurrently, and every answer sees the latest text. Each request is
//! handled on its own: an error or an unexpected failure becomes an error
//! response, and the server keeps serving.

mod actions;
mod complete;
pub mod convert;
mod hover;
mod navigate;
mod state;
mod transport;

use std::panic::{AssertUnwindSafe, catch_unwind};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, OneOf,
    PublishDiagnosticsParams, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};
use serde_json::Value;

pub use state::State;

/// Serves the protocol on standard input and output until the editor says
/// `exit` or closes the stream.
pub fn serve_stdio() -> Result<(), String> {
    let (connection, threads) = transport::stdio();
    let served = serve(&connection);
    drop(connection);
    let joined = threads.join().map_err(|e| e.to_string());
    served.and(joined)
}

/// The capabilities the server announces.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::Supported(true)),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(["=", "\"", "(", ",", "."].map(str::to_owned).to_vec()),
            ..CompletionOptions::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// Serves the protocol on `connection`: the handshake, then every message
/// until `exit`.
pub fn serve(connection: &Connection) -> Result<(), String> {
    let (id, _params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": ServerInfo {
            name: "rolecall".to_owned(),
            version: Some(env!("CARGO_PKG_VERSION").to_owned()),
        },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut state = State::default();
    let mut shutting_down = false;
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if request.method == req::Shutdown::METHOD {
                    shutting_down = true;
                    send(connection, Response::new_ok(request.id, Value::Null));
                    continue;
                }
                if shutting_down {
                    let error = ErrorCode::InvalidRequest as i32;
                    let response = Response::new_err(request.id, error, "shutting down".into());
                    send(connection, response);
                    continue;
                }
                let id = request.id.clone();
                let response = match catch_unwind(AssertUnwindSafe(|| answer(&state, request))) {
                    Ok(Ok(value)) => Response::new_ok(id, value),
                    Ok(Err((code, message))) => Response::new_err(id, code as i32, message),
                    Err(_) => Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "the request failed".to_owned(),
                    ),
                };
                send(connection, response);
            }
            Message::Notification(notification) => {
                if notification.method == note::Exit::METHOD {
                    return Ok(());
                }
                let published = catch_unwind(AssertUnwindSafe(|| notify(&mut state, notification)));
                // A failed check leaves the set as it was; the next change checks again.
                for params in published.unwrap_or_default() {
                    let message =
                        Notification::new(note::PublishDiagnostics::METHOD.into(), params);
                    send(connection, message);
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn send(connection: &Connection, message: impl Into<Message>) {
    // The editor went away: the receiving loop ends on its own.
    let _ = connection.sender.send(message.into());
}

/// An error answer: its code and message.
type Failure = (ErrorCode, String);

/// Decodes the parameters of `request` as `R`'s.
fn params<R: req::Request>(request: Request) -> Result<R::Params, Failure> {
    serde_json::from_value(request.params).map_err(|error| {
        let message = format!("invalid parameters for `{}`: {error}", R::METHOD);
        (ErrorCode::InvalidParams, message)
    })
}

/// Encodes an answer.
fn encode(value: impl serde::Serialize) -> Result<Value, Failure> {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

fn answer(state: &State, request: Request) -> Result<Value, Failure> {
    match request.method.as_str() {
        req::HoverRequest::METHOD => {
            encode(hover::hover(state, &params::<req::HoverRequest>(request)?))
        }
        req::GotoDefinition::METHOD => encode(navigate::definition(
            state,
            &params::<req::GotoDefinition>(request)?,
        )),
        req::References::METHOD => encode(navigate::references(
            state,
            &params::<req::References>(request)?,
        )),
        req::DocumentSymbolRequest::METHOD => encode(navigate::symbols(
            state,
            &params::<req::DocumentSymbolRequest>(request)?,
        )),
        req::Completion::METHOD => encode(complete::completion(
            state,
            &params::<req::Completion>(request)?,
        )),
        req::Formatting::METHOD => encode(actions::formatting(
            state,
            &params::<req::Formatting>(request)?,
        )),
        req::CodeActionRequest::METHOD => encode(actions::code_actions(
            state,
            &params::<req::CodeActionRequest>(request)?,
        )),
        other => Err((
            ErrorCode::MethodNotFound,
            format!("unsupported request `{other}`"),
        )),
    }
}

fn notify(state: &mut State, notification: Notification) -> Vec<PublishDiagnosticsParams> {
    let Notification { method, params } = notification;
    match method.as_str() {
        note::DidOpenTextDocument::METHOD => {
            match serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(params) {
                Ok(p) => state.open(
                    &p.text_document.uri,
                    p.text_document.version,
                    &p.text_document.text,
                ),
                Err(_) => Vec::new(),
            }
        }
        note::DidChangeTextDocument::METHOD => {
            match serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(params) {
                // Full synchronisation: the last change holds the whole text.
                Ok(p) => match p.content_changes.last() {
                    Some(change) if change.range.is_none() => {
                        state.change(&p.text_document.uri, p.text_document.version, &change.text)
                    }
                    _ => Vec::new(),
                },
                Err(_) => Vec::new(),
            }
        }
        note::DidSaveTextDocument::METHOD => {
            match serde_json::from_value::<lsp_types::DidSaveTextDocumentParams>(params) {
                Ok(p) => state.recheck(&p.text_document.uri),
                Err(_) => Vec::new(),
            }
        }
        note::DidCloseTextDocument::METHOD => {
            match serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(params) {
                Ok(p) => state.close(&p.text_document.uri),
                Err(_) => Vec::new(),
            }
        }
        note::DidChangeWatchedFiles::METHOD => {
            match serde_json::from_value::<lsp_types::DidChangeWatchedFilesParams>(params) {
                Ok(p) => {
                    let paths: Vec<_> = p
                        .changes
                        .iter()
                        .filter_map(|c| convert::uri_to_path(&c.uri))
                        .collect();
                    state.reload(&paths)
                }
                Err(_) => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}
