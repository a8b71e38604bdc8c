//! The stdio transport: lsp-server's framing on two threads, reading past
//! a message that is not JSON-RPC instead of hanging up.
//!
//! `lsp_server::Connection::stdio` ends its reader at the first malformed
//! payload, which closes the connection; an editor that sends one bad frame
//! would lose its server. The frame has been read whole by then, so the
//! next one can be read as usual.

use std::io::{self, BufReader, ErrorKind, Write};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender, unbounded};
use lsp_server::{Connection, Message, Notification};
use lsp_types::notification::{LogMessage, Notification as _};
use lsp_types::{LogMessageParams, MessageType};

/// The reader and writer threads of a stdio connection.
pub struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads; the writer's error, if any.
    pub fn join(self) -> io::Result<()> {
        let _ = self.reader.join();
        match self.writer.join() {
            Ok(result) => result,
            Err(_) => Err(io::Error::other("the writer thread stopped")),
        }
    }
}

/// A connection over standard input and output.
pub fn stdio() -> (Connection, IoThreads) {
    let (to_server, receiver) = unbounded::<Message>();
    let (sender, from_server) = unbounded::<Message>();
    let log = sender.clone();
    let reader = thread::spawn(move || read(&to_server, &log));
    let writer = thread::spawn(move || write(&from_server));
    (
        Connection { sender, receiver },
        IoThreads { reader, writer },
    )
}

/// Tells the editor, in its log, what went wrong with its input.
fn log(to_editor: &Sender<Message>, message: String) {
    let params = LogMessageParams {
        typ: MessageType::WARNING,
        message,
    };
    let _ = to_editor.send(Notification::new(LogMessage::METHOD.to_owned(), params).into());
}

fn read(to_server: &Sender<Message>, to_editor: &Sender<Message>) {
    let mut input = BufReader::new(io::stdin().lock());
    loop {
        match Message::read(&mut input) {
            Ok(Some(message)) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if to_server.send(message).is_err() || exit {
                    return;
                }
            }
            Ok(None) => return,
            Err(error) if error.kind() == ErrorKind::InvalidData => {
                log(to_editor, format!("rolecall: ignored a message: {error}"));
            }
            Err(error) => {
                log(
                    to_editor,
                    format!("rolecall: cannot read from the editor: {error}"),
                );
                return;
            }
        }
    }
}

fn write(from_server: &Receiver<Message>) -> io::Result<()> {
    let mut output = io::stdout().lock();
    for message in from_server {
        message.write(&mut output)?;
        output.flush()?;
    }
    Ok(())
}
