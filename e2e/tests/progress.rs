//! Stored progress loses nothing: a stray line is kept aside (with the time it was found) and
//! the readable lines still count, the notice shows on lesson pages too, a write merges what
//! another tab stored meanwhile, and a storage that refuses a write is reported.

use brainplay_e2e::{with_page, Error, Page, Result};
use serde_json::{json, Value};

async fn stored(page: &Page, key: &str) -> Result<String> {
    let value = page
        .js(
            "return localStorage.getItem(arguments[0]) || '';",
            vec![json!(key)],
        )
        .await?;
    Ok(value.as_str().unwrap_or_default().to_string())
}

async fn shown(page: &Page, selector: &str) -> Result<bool> {
    let value = page
        .js(
            "const e = document.querySelector(arguments[0]); return !!e && !e.hidden;",
            vec![json!(selector)],
        )
        .await?;
    Ok(value == Value::Bool(true))
}

#[tokio::test]
async fn stored_progress_loses_nothing() -> Result {
    with_page(async |page| {
        page.open("/").await?;
        page.wait_for("#app-ready").await?;
        page.js(
            "localStorage.setItem('brainplay.progress', 'brainplay-progress v1\\n03/nernst_ek\\nnot a line');
             localStorage.removeItem('brainplay.progress.unreadable');",
            vec![],
        )
        .await?;
        page.open("/lesson/01-introduction?lang=en").await?;
        page.wait_for("#lesson-1").await?;
        if !shown(page, "#progress-notice").await? {
            return Err(Error::new("no notice about the stray line on the lesson page"));
        }
        let aside = stored(page, "brainplay.progress.unreadable").await?;
        assert!(
            aside.contains("not a line") && aside.contains("found unreadable at"),
            "{aside}"
        );
        // Set aside once: the stored record keeps its readable lines, and the next visit finds
        // nothing more to set aside.
        page.open("/lesson/01-introduction?lang=en").await?;
        page.wait_for("#lesson-1").await?;
        let record = stored(page, "brainplay.progress").await?;
        assert!(
            record.lines().any(|l| l == "03/nernst_ek") && !record.contains("not a line"),
            "{record:?}"
        );
        let aside = stored(page, "brainplay.progress.unreadable").await?;
        assert_eq!(aside.matches("not a line").count(), 1, "{aside}");
        // Another tab stores its progress meanwhile; this tab's next write keeps it.
        page.js(
            "localStorage.setItem('brainplay.progress', 'brainplay-progress v1\\n03/nernst_ek\\n05/other_tab');",
            vec![],
        )
        .await?;
        page.expect_verdict("rheobase", "20", true).await?;
        let record = stored(page, "brainplay.progress").await?;
        for line in ["01/rheobase", "03/nernst_ek", "05/other_tab"] {
            assert!(record.lines().any(|l| l == line), "no {line} in {record:?}");
        }
        assert!(!shown(page, "#progress-write-error").await?);
        // A full storage: the learner is told.
        page.js(
            "Storage.prototype.setItem = function () { throw new DOMException('the quota is full', 'QuotaExceededError'); };",
            vec![],
        )
        .await?;
        page.expect_verdict("rheobase", "20", true).await?;
        if !shown(page, "#progress-write-error").await? {
            return Err(Error::new("a refused write was not reported"));
        }
        let message = page.text("#progress-write-error").await?;
        assert!(message.contains("the quota is full"), "{message}");
        page.assert_no_errors().await
    })
    .await
}

/// A progress file loaded on the course map is merged with what is stored, its stray line
/// kept aside.
#[tokio::test]
async fn a_progress_file_is_merged() -> Result {
    with_page(async |page| {
        page.open("/?lang=en").await?;
        page.wait_for("#app-ready").await?;
        page.js(
            "localStorage.setItem('brainplay.progress', 'brainplay-progress v1\\n03/nernst_ek');",
            vec![],
        )
        .await?;
        let file =
            std::env::temp_dir().join(format!("brainplay-progress-{}.txt", std::process::id()));
        std::fs::write(
            &file,
            "brainplay-progress v1\r\n04/from_file\r\nstray line\r\n",
        )
        .map_err(|e| Error::new(format!("writing {}: {e}", file.display())))?;
        page.wait_for(".load-progress input[type=file]")
            .await?
            .send_keys(&file.display().to_string())
            .await
            .map_err(|e| Error::new(format!("choosing the file: {e}")))?;
        let mut record = String::new();
        for _ in 0..50 {
            record = stored(page, "brainplay.progress").await?;
            if record.contains("04/from_file") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let _ = std::fs::remove_file(&file);
        for line in ["03/nernst_ek", "04/from_file"] {
            assert!(record.lines().any(|l| l == line), "no {line} in {record:?}");
        }
        assert!(stored(page, "brainplay.progress.unreadable")
            .await?
            .contains("stray line"));
        assert!(shown(page, "#progress-notice").await?);
        page.assert_no_errors().await
    })
    .await
}
