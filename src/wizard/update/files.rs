//! File fields (a certificate, a private key): the core does no I/O, so confirming such a step
//! asks the runtime to read the files, and the step confirms when they come back good.

use crate::wizard::model::{Model, PemSource};
use crate::wizard::msg::Cmd;
use crate::wizard::screen::Screen;
use crate::wizard::update::setup::confirm_step;
use crate::wizard::update::toast;

/// A step with file fields confirms once their files were read and hold what they must: asks
/// the runtime to read the ones not read yet (or changed), and says so. None when all are good.
pub(super) fn read_files_first(model: &mut Model) -> Option<Vec<Cmd>> {
    let demo = model.demo.is_some();
    let checked = &model.setup.as_ref()?.files_checked;
    let Screen::Step(step) = &mut model.screen else {
        return None;
    };
    let mut waiting = false;
    let mut cmds = Vec::new();
    for input in &step.form.inputs {
        let (Some(kind), Some(field)) = (
            input.validator.and_then(|v| v.file_kind()),
            input.field_id.clone(),
        ) else {
            continue;
        };
        let Some(path) = PemSource::of(input.value(), demo).path().map(String::from) else {
            continue; // the demo's built-in key or certificate
        };
        if checked.get(&field) == Some(&path) {
            continue;
        }
        waiting = true;
        if step.files_reading.insert(field.clone()) {
            cmds.push(Cmd::InspectFile { field, path, kind });
        }
    }
    if !waiting {
        return None;
    }
    step.form.notes = vec!["Reading the file…".into()];
    Some(cmds)
}

/// A file was read: a bad one puts its error on the field; when every file of the step is
/// good, the step confirms.
pub fn file_inspected(
    model: &mut Model,
    field: String,
    path: String,
    result: Result<Option<String>, String>,
) -> Vec<Cmd> {
    let Screen::Step(step) = &mut model.screen else {
        return Vec::new();
    };
    step.files_reading.remove(&field);
    let index = step.index;
    let all_read = step.files_reading.is_empty();
    // An answer about a value since changed (or another step's) is ignored.
    let Some(i) = step.form.inputs.iter().position(|input| {
        input.field_id.as_deref() == Some(&field) && input.value().trim() == path
    }) else {
        return Vec::new();
    };
    match result {
        Err(problem) => {
            step.form.inputs[i].error = Some(problem);
            step.form.focus = i;
            step.form.notes.clear();
            Vec::new()
        }
        Ok(note) => {
            if let Some(setup) = model.setup.as_mut() {
                setup.files_checked.insert(field, path);
            }
            let mut cmds = Vec::new();
            if let Some(note) = note {
                cmds.extend(toast(model, note));
            }
            if all_read {
                cmds.extend(confirm_step(model, index));
            }
            cmds
        }
    }
}
