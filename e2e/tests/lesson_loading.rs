//! Lesson content arrives after the app: each page fetches its lesson file. A file that is
//! missing or unreadable gets a message naming it on a page that keeps working, and "try
//! again" loads the lesson once the file is right.

use std::path::Path;

use brainplay_e2e::{Error, Gpu, Page, Result, Site};

const LESSON_4_FILE: &str = "lessons/04-hh-programming.bin";

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

fn io(context: &str) -> impl Fn(std::io::Error) -> Error + '_ {
    move |error| Error::new(format!("{context}: {error}"))
}

/// The error notice's text once it shows one that contains `part`.
async fn error_saying(page: &Page, part: &str) -> Result {
    let message = page.text("#lesson-error").await?;
    if message.contains(part) {
        Ok(())
    } else {
        Err(Error::new(format!(
            "the notice should mention `{part}`: {message}"
        )))
    }
}

#[tokio::test]
async fn a_lesson_file_that_cannot_be_read_is_named_and_retried() -> Result {
    let Some(site) = Site::from_env()? else {
        return Ok(());
    };
    // A copy of the build, so the test can break a lesson file without touching the real one.
    let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("lesson-loading-site");
    let _ = std::fs::remove_dir_all(&copy);
    copy_dir(&site.dist, &copy).map_err(io("copying the site"))?;
    let original = std::fs::read(site.dist.join(LESSON_4_FILE)).map_err(io(LESSON_4_FILE))?;
    let lesson_file = copy.join(LESSON_4_FILE);
    std::fs::remove_file(&lesson_file).map_err(io("removing the lesson file"))?;

    let served = Site {
        dist: copy,
        base: site.base.clone(),
    };
    let page = Page::start(served.serve()?, Gpu::Off).await?;
    let outcome = async {
        page.open("/lesson/04-hh-programming?lang=en").await?;
        error_saying(&page, "HTTP 404").await?;
        error_saying(&page, "04-hh-programming.bin").await?;

        std::fs::write(&lesson_file, "not a lesson").map_err(io("breaking the lesson file"))?;
        page.click("#lesson-retry").await?;
        page.wait_for("#lesson-error").await?;
        // The parser's message, with the file's name, replaces the HTTP one.
        let mut message = String::new();
        for _ in 0..50 {
            message = page.text("#lesson-error").await?;
            if !message.contains("HTTP 404") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        if message.contains("HTTP 404") || !message.contains("04-hh-programming.bin") {
            return Err(Error::new(format!(
                "after retrying, the notice should give the parse error: {message}"
            )));
        }

        std::fs::write(&lesson_file, &original).map_err(io("restoring the lesson file"))?;
        page.click("#lesson-retry").await?;
        page.wait_for("#lesson-4").await?;
        page.drawn("#sim-hw1").await?;
        page.assert_no_errors().await
    }
    .await;
    page.close().await;
    outcome
}
