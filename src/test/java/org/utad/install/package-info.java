/**
 * Test support that runs inside a real ImageJ 1.x process: the session driver of the install test.
 * It may import ij and the JDK only, since it runs beside ij.jar and reaches the plugin through
 * ImageJ's menus, as a user does.
 */
package org.utad.install;
