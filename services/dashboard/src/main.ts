/** Browser entry: defining `<hub-app>` is all the page needs. */
import './hub-app.ts'
